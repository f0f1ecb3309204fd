/**
 * The portal backend's answers as the extensions receive them (portal-types.ts, serialized),
 * and the host's i18n over the extension's own locale files.
 */
import { render } from "preact";
import { translator } from "../../checkout-policy-ui/tests/support";

export { translator };
import type { Json } from "../src/portal-client";
import type {
  ReturnOptions,
  ReturnStatusView,
  RequestedReturn,
  CancelledOrder,
} from "../../../app/services/returns/portal-types";

type Dictionary = Parameters<typeof translator>[0];

/** What the extension uses of the host's i18n, in a real locale and the shopper's time zone (New York). */
export function i18nFor<I18n extends object>(locale: Dictionary, language: "en" | "ja", base: I18n): I18n {
  const tag = language === "ja" ? "ja-JP" : "en-US";
  return {
    ...base,
    translate: translator(locale),
    formatCurrency: (amount: number, options?: { currency?: string }) =>
      new Intl.NumberFormat(tag, { style: "currency", currency: options?.currency ?? "USD" }).format(amount),
    formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(tag, { ...options, timeZone: "America/New_York" }).format(date),
  } as I18n;
}

const usd = (amount: number) => ({ amount, currency: "USD" });
export const ORDER_ID = "gid://shopify/Order/1";

const reason = (
  name: "change_of_mind" | "wrong_item" | "damaged" | "inauthentic",
  allowed: boolean,
  message: string,
  extra: { windowEndsAt?: string | null; rule?: string } = {},
) => ({
  reason: name,
  allowed,
  rule: (extra.rule ??
    (name === "change_of_mind"
      ? "RET-1"
      : name === "wrong_item"
        ? "RET-9"
        : name === "damaged"
          ? "RET-10"
          : "RET-11")) as never,
  code: allowed ? "ALLOWED" : "BLOCKED",
  message,
  blockedBy: [],
  windowEndsAt: extra.windowEndsAt ?? null,
  photoRequired: name === "wrong_item" || name === "damaged",
});

/** An order delivered on Nov 30: a card holder that can go back, and a final-sale bracelet that only a claim can send back. */
export function returnOptions(overrides: Partial<Json<ReturnOptions>> = {}): Json<ReturnOptions> {
  return {
    orderId: ORDER_ID,
    orderName: "#1001",
    currency: "USD",
    placedAt: "2026-11-24T15:00:00.000Z",
    deliveredAt: "2026-11-30T17:00:00.000Z",
    lines: [
      {
        lineId: "gid://shopify/LineItem/11",
        title: "Chanel Classic Card Holder",
        quantity: 1,
        returnableQuantity: 1,
        unitPrice: usd(42_000),
        unitTax: usd(3_360),
        returnable: true,
        reasons: [
          reason("change_of_mind", true, "This item can be returned within 14 days of delivery (RET-1).", {
            windowEndsAt: "2026-12-15T04:59:59.999Z",
          }),
          reason("wrong_item", true, "Report the wrong item with a photo; we answer within a day (RET-9).", {
            windowEndsAt: "2026-12-10T04:59:59.999Z",
          }),
          reason("damaged", true, "We will arrange the return of the damaged item (RET-10)."),
          reason("inauthentic", true, "An item proven inauthentic is refunded in full (RET-11)."),
        ],
      },
      {
        lineId: "gid://shopify/LineItem/12",
        title: "Tiffany T Wire Bracelet",
        quantity: 1,
        returnableQuantity: 1,
        unitPrice: usd(48_000),
        unitTax: usd(3_840),
        returnable: true,
        reasons: [
          reason("change_of_mind", false, "Final sale: this item cannot be returned (RET-2).", { rule: "RET-2" }),
          reason("wrong_item", true, "Report the wrong item with a photo; we answer within a day (RET-9).", {
            windowEndsAt: "2026-12-10T04:59:59.999Z",
          }),
          reason("damaged", false, "Final sale: this item cannot be returned (RET-2).", { rule: "RET-2" }),
          reason("inauthentic", true, "An item proven inauthentic is refunded in full (RET-11)."),
        ],
      },
    ],
    windowEndsAt: "2026-12-15T04:59:59.999Z",
    claimWindowEndsAt: "2026-12-10T04:59:59.999Z",
    refundPreviews: [
      {
        reason: "change_of_mind",
        merchandise: usd(42_000),
        tax: usd(3_360),
        fees: [{ rule: "RET-7", label: "Return label fee", amount: usd(2_000) }],
        noFeeReason: null,
        shippingRefunded: usd(0),
        shippingNote: "Original shipping is not refunded (RET-7).",
        total: usd(43_360),
        refundNote: "Refunded to your card; it shows on your statement within 5–10 business days (RET-8).",
      },
      {
        reason: "wrong_item",
        merchandise: usd(90_000),
        tax: usd(7_200),
        fees: [],
        noFeeReason: {
          allowed: true,
          rule: "RET-7",
          code: "CLAIM_NO_FEE",
          message: "A claim has no return label fee (RET-7).",
        },
        shippingRefunded: usd(0),
        shippingNote: "Original shipping is not refunded (RET-7).",
        total: usd(97_200),
        refundNote: "Refunded to your card; it shows on your statement within 5–10 business days (RET-8).",
      },
    ],
    dates: {
      labelVoidsAtIfIssuedNow: "2026-12-04T15:00:00.000Z",
      labelVoidBusinessDays: 2,
      arrivalBy: "2026-12-22T04:59:59.999Z",
      claimAnswerByIfReportedNow: "2026-12-03T15:00:00.000Z",
      notes: [
        "Once approved, your return label is voided 2 business days after it is issued (RET-6).",
        "The package must reach us by Dec 21 (RET-12).",
      ],
    },
    cancellation: {
      allowed: false,
      rule: "CAN-2",
      code: "ALREADY_SHIPPED",
      message: "This order has shipped, so it can no longer be cancelled (CAN-2).",
      until: "2026-11-24T17:00:00.000Z",
      processOn: null,
    },
    actions: { requestReturn: true, reportProblem: true, cancel: false },
    returns: [],
    ...overrides,
  } as Json<ReturnOptions>;
}

export function returnStatus(overrides: Partial<Json<ReturnStatusView>> = {}): Json<ReturnStatusView> {
  return {
    returnId: "gid://shopify/Return/1",
    name: "#1001-R1",
    status: "requested",
    reason: "change_of_mind",
    requestedAt: "2026-12-02T15:00:00.000Z",
    lines: [{ lineId: "gid://shopify/LineItem/11", title: "Chanel Classic Card Holder", quantity: 1 }],
    fee: usd(2_000),
    decline: null,
    answerBy: null,
    answer: null,
    label: null,
    arrivalBy: null,
    refund: null,
    message: "The store answers your request within one business day.",
    ...overrides,
  };
}

export function requestedReturn(overrides: Partial<Json<RequestedReturn>> = {}): Json<RequestedReturn> {
  return {
    returnId: "gid://shopify/Return/1",
    name: "#1001-R1",
    status: "requested",
    reason: "change_of_mind",
    fee: usd(2_000),
    refundPreview: returnOptions().refundPreviews[0]!,
    answerBy: null,
    arrivalBy: "2026-12-22T04:59:59.999Z",
    photos: [],
    nextSteps: ["The store reviews your request and emails you a return label."],
    repeated: false,
    ...overrides,
  };
}

export function cancelledOrder(overrides: Partial<Json<CancelledOrder>> = {}): Json<CancelledOrder> {
  return {
    orderId: ORDER_ID,
    orderName: "#1001",
    requestedAt: "2026-12-02T15:00:00.000Z",
    jobId: "gid://shopify/Job/1",
    processOn: null,
    rule: "CAN-1",
    message: "Your order is cancelled (CAN-1).",
    repeated: false,
    ...overrides,
  } as Json<CancelledOrder>;
}

/** A backend that answers each path with the given status and body; records every call. */
export function backend(
  routes: Record<string, { status?: number; body: unknown } | (() => { status?: number; body: unknown })>,
) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    const path = new URL(url).pathname;
    const route = routes[path];
    const answer = typeof route === "function" ? route() : route;
    if (!answer)
      return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no route" } }), { status: 404 });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { fetch, calls };
}

export const texts = (selector: string) =>
  [...document.body.querySelectorAll(selector)].map((element) => element.textContent?.trim());

/** Unmounts what the last render left (Preact keeps its tree on document.body across tests otherwise). */
export function unmount(): void {
  render(null, document.body);
}
