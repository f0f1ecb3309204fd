// @vitest-environment jsdom
import { createNavigationHistoryEntry } from "@shopify/ui-extensions-tester";
import { waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import {
  backend,
  cancelledOrder,
  i18nFor,
  ORDER_ID,
  requestedReturn,
  returnOptions,
  texts,
} from "../../return-portal-actions/tests/fixtures";
import { orderPageExtension } from "./order-page";
import ja from "../locales/ja.json";

const extension = orderPageExtension();

type Routes = Parameters<typeof backend>[0];

/** The page opened at `path` (what the order action menu links to) against a backend answering `routes`. */
async function open(routes: Routes, path = "") {
  extension.navigation.currentEntry = createNavigationHistoryEntry({
    url: `extension:return-portal-page/customer-account.order.page.render/1/${path}`,
  });
  const api = backend({ "/api/portal/options": { body: returnOptions() }, ...routes });
  extension.fetch = api.fetch as typeof fetch;
  await extension.render();
  await waitFor(() => expect(document.body.querySelector("s-spinner")).toBeNull());
  return api;
}

const $ = (selector: string) =>
  document.body.querySelector(selector) as (HTMLElement & { value: string; files?: File[] }) | null;
/** Lets Preact re-render after a change (it renders on the next microtask). */
const rendered = () => new Promise((resolve) => setTimeout(resolve, 0));
/** As the host does: set the value, then fire change. */
async function choose(selector: string, value: string) {
  const field = $(selector)!;
  field.value = value;
  field.dispatchEvent(new Event("change"));
  await rendered();
}
const click = (selector: string) => $(selector)!.dispatchEvent(new Event("click"));
const lastPost = (api: ReturnType<typeof backend>) => api.calls.filter((c) => c.init.method === "POST").at(-1)!;

describe("return-portal-page: one order's return form", () => {
  it("shows a spinner until the backend answers", async () => {
    let answer: ((value: Response) => void) | undefined;
    extension.fetch = (() => new Promise<Response>((resolve) => (answer = resolve))) as typeof fetch;
    await extension.render();
    await waitFor(() => expect(answer).toBeDefined());
    expect($("s-spinner")).not.toBeNull();
    answer!(new Response(JSON.stringify(returnOptions())));
    await waitFor(() => expect($("s-spinner")).toBeNull());
  });

  it("lists each line with the verdict for every reason, the rule and the window's end", async () => {
    await open({});
    expect($("s-page")!.getAttribute("heading")).toBe("Order #1001: returns and cancellation");
    expect(texts('[data-line="gid://shopify/LineItem/11"] [data-reason="change_of_mind"]')).toEqual([
      "Changed my mind: This item can be returned within 14 days of delivery (RET-1). Until Dec 14, 2026, 11:59 PM.",
    ]);
    const bracelet = '[data-line="gid://shopify/LineItem/12"]';
    expect($(`${bracelet} [data-reason="change_of_mind"]`)!.getAttribute("data-allowed")).toBe("false");
    expect($(`${bracelet} [data-reason="change_of_mind"]`)!.textContent).toBe(
      "Changed my mind: Final sale: this item cannot be returned (RET-2).",
    );
    // Change of mind: only the card holder can be chosen; the final-sale bracelet has no quantity to pick.
    expect($(`${bracelet} s-select`)).toBeNull();
    expect($('[data-line="gid://shopify/LineItem/11"] s-select')).not.toBeNull();
  });

  it("offers only the reasons some line allows, change of mind first", async () => {
    await open({
      "/api/portal/options": {
        body: returnOptions({
          lines: returnOptions().lines.map((line) => ({
            ...line,
            reasons: line.reasons.map((r) => (r.reason === "inauthentic" ? { ...r, allowed: false } : r)),
          })),
        }),
      },
    });
    expect(texts('s-select[name="reason"] s-option')).toEqual([
      "Changed my mind",
      "Wrong item received",
      "Arrived damaged",
    ]);
  });

  it("previews the refund with every fee named and the shipping that is not refunded", async () => {
    await open({});
    expect(texts('[data-preview="change_of_mind"] s-text')).toEqual([
      "Items: $420.00",
      "Tax: $33.60",
      "Return label fee (RET-7): −$20.00",
      "Original shipping is not refunded (RET-7).",
      "Refund: $433.60",
      "Refunded to your card; it shows on your statement within 5–10 business days (RET-8).",
    ]);
    expect(texts("[data-dates] s-text")).toEqual(returnOptions().dates.notes);
  });

  it("a claim: the photo drop zone appears, the preview has no fee and says why", async () => {
    await open({}, "claim");
    // Opened from "Report a problem": the first claim reason is chosen.
    expect($('s-select[name="reason"]')!.getAttribute("value")).toBe("wrong_item");
    expect($("s-drop-zone")!.getAttribute("accept")).toBe("image/*");
    expect($("[data-fee]")).toBeNull();
    expect($("[data-no-fee]")!.textContent).toBe("A claim has no return label fee (RET-7).");
    await choose('s-select[name="reason"]', "change_of_mind");
    await waitFor(() => expect($("s-drop-zone")).toBeNull());
  });

  it("confirms: sends the chosen lines, reason, note and a request key, then says what happens next and by when", async () => {
    const api = await open({ "/api/portal/request": { body: requestedReturn() } });
    await choose('s-text-area[name="note"]', "Changed my mind, unworn.");
    click("[data-submit]");
    await waitFor(() => expect($("[data-requested]")).not.toBeNull());
    const form = lastPost(api).init.body as FormData;
    expect(lastPost(api).url).toMatch(/\/api\/portal\/request$/);
    expect(JSON.parse(String(form.get("lines")))).toEqual([{ lineId: "gid://shopify/LineItem/11", quantity: 1 }]);
    expect(form.get("reason")).toBe("change_of_mind");
    expect(form.get("note")).toBe("Changed my mind, unworn.");
    expect(form.get("orderId")).toBe(ORDER_ID);
    expect(String(form.get("requestKey"))).toMatch(/^[\w-]{8,}$/);
    expect($("[data-requested] s-banner")!.getAttribute("heading")).toBe("Return requested #1001-R1");
    expect(texts("[data-requested] s-list-item")).toEqual([
      "The store reviews your request and emails you a return label.",
      "The package must reach the store by Dec 21, 2026, 11:59 PM.",
    ]);
  });

  it("a claim without a photo is stopped before anything is sent; with one, the photo goes along", async () => {
    const api = await open(
      {
        "/api/portal/request": {
          body: requestedReturn({ reason: "wrong_item", answerBy: "2026-12-03T15:00:00.000Z" }),
        },
      },
      "claim",
    );
    await choose('[data-line="gid://shopify/LineItem/12"] s-select', "1");
    click("[data-submit]");
    await waitFor(() => expect($("[data-error]")?.textContent).toBe("Add at least one photo of the item."));
    expect(api.calls.filter((c) => c.init.method === "POST")).toEqual([]);
    const zone = $("s-drop-zone")!;
    zone.files = [new File([new Uint8Array([0xff, 0xd8, 0xff])], "wrong.jpg", { type: "image/jpeg" })];
    zone.dispatchEvent(new Event("change"));
    await rendered();
    click("[data-submit]");
    await waitFor(() => expect($("[data-requested]")).not.toBeNull());
    const form = lastPost(api).init.body as FormData;
    expect((form.get("photos") as File).name).toBe("wrong.jpg");
    // Two items could go back as wrong: only the one chosen is sent.
    expect(JSON.parse(String(form.get("lines")))).toEqual([{ lineId: "gid://shopify/LineItem/12", quantity: 1 }]);
    expect(texts("[data-requested] s-list-item")).toContain("The store answers by Dec 3, 2026, 10:00 AM.");
  });

  it("a refusal shows the backend's sentence, and trying again sends the same request key", async () => {
    let attempt = 0;
    const api = await open({
      "/api/portal/request": () =>
        ++attempt === 1
          ? {
              status: 503,
              body: {
                error: {
                  code: "SHOPIFY_UNAVAILABLE",
                  message: "Shopify did not answer; nothing was changed. Try again.",
                },
              },
            }
          : { body: requestedReturn() },
    });
    click("[data-submit]");
    await waitFor(() =>
      expect($("[data-error]")?.textContent).toBe("Shopify did not answer; nothing was changed. Try again."),
    );
    const firstKey = (lastPost(api).init.body as FormData).get("requestKey");
    click("[data-submit]");
    await waitFor(() => expect($("[data-requested]")).not.toBeNull());
    expect((lastPost(api).init.body as FormData).get("requestKey")).toBe(firstKey);
  });

  it("nothing returnable: says so, with each line's reason above", async () => {
    const blocked = returnOptions().lines.map((line) => ({
      ...line,
      returnable: false,
      reasons: line.reasons.map((r) => ({
        ...r,
        allowed: false,
        message: "Returns must be requested within 14 days of delivery (RET-1).",
      })),
    }));
    await open({ "/api/portal/options": { body: returnOptions({ lines: blocked, refundPreviews: [] }) } });
    expect($("[data-nothing]")!.textContent).toBe(
      "Nothing in this order can be returned now; each item above says why.",
    );
    expect($("[data-submit]")).toBeNull();
  });

  it("not this customer's order: the backend's 404 sentence, no form", async () => {
    await open({
      "/api/portal/options": {
        status: 404,
        body: { error: { code: "NOT_FOUND", message: "We could not find that order in your account." } },
      },
    });
    expect($("[data-unavailable]")!.textContent).toBe("We could not find that order in your account.");
    expect($("[data-submit]")).toBeNull();
  });

  it("speaks Japanese", async () => {
    extension.shopify.i18n = i18nFor(ja, "ja", extension.shopify.i18n);
    await open({});
    expect($("s-page")!.getAttribute("heading")).toBe("ご注文 #1001：返品・キャンセル");
    expect($("[data-submit]")!.textContent).toBe("申し込みを確定");
  });
});

describe("return-portal-page: cancelling an order", () => {
  const cancellable = () =>
    returnOptions({
      deliveredAt: null,
      cancellation: {
        allowed: true,
        rule: "CAN-1",
        code: "WITHIN_WINDOW",
        message: "You can cancel within 2 hours of placing your order (CAN-1).",
        until: "2026-12-02T17:00:00.000Z",
        processOn: null,
      },
      actions: { requestReturn: false, reportProblem: false, cancel: true },
    });

  it("inside the window: until when, then the confirmation once cancelled", async () => {
    const api = await open(
      { "/api/portal/options": { body: cancellable() }, "/api/portal/cancel": { body: cancelledOrder() } },
      "cancel",
    );
    expect($("[data-cancellation]")!.textContent).toContain("You can cancel until Dec 2, 2026, 12:00 PM.");
    click("[data-confirm]");
    await waitFor(() => expect($("[data-cancelled]")).not.toBeNull());
    expect(JSON.parse(String(lastPost(api).init.body))).toEqual({ orderId: ORDER_ID });
    expect($("[data-cancelled]")!.getAttribute("heading")).toBe("Order #1001: cancellation requested");
    expect($("[data-cancelled]")!.textContent).toContain("Your order is cancelled (CAN-1).");
  });

  it("outside the window: why not, and to contact the store; no button", async () => {
    await open({}, "cancel");
    expect($("[data-cancellation]")!.getAttribute("data-cancellation")).toBe("false");
    expect(texts("[data-cancellation] s-text")).toEqual([
      "This order has shipped, so it can no longer be cancelled (CAN-2).",
      "If something is wrong with your order, contact the store.",
    ]);
    expect($("[data-confirm]")).toBeNull();
  });

  it("the backend refuses at the last moment (the window just closed): its sentence", async () => {
    await open(
      {
        "/api/portal/options": { body: cancellable() },
        "/api/portal/cancel": {
          status: 422,
          body: { error: { code: "WINDOW_CLOSED", message: "The 2-hour cancellation window has closed (CAN-1)." } },
        },
      },
      "cancel",
    );
    click("[data-confirm]");
    await waitFor(() =>
      expect($("[data-error]")?.textContent).toBe("The 2-hour cancellation window has closed (CAN-1)."),
    );
    expect($("[data-cancelled]")).toBeNull();
  });
});
