import { minorUnitDigits, type PolicySettings } from "../../policy";
import { autoApproveReturn } from "./approve-return.server";
import { shortDate } from "../../policy/return-dates";
import { OrderCache } from "../orders/order-cache.server";
import { checkPhotos, ShopifyRefusal, uploadClaimPhotos } from "./claim-photos.server";
import { PortalError } from "./portal-errors";
import type { RequestedReturn, ReturnRequestInput } from "./portal-types";
import { RETURN_REASONS } from "./portal-types";
import {
  factsOf,
  loadReturnFacts,
  portalDb,
  portalGateway,
  unavailable,
  type OrderReturnFacts,
  type PortalDeps,
} from "./return-facts.server";
import { optionsFromFacts, refundPreview } from "./return-options.server";
import { recordRequestedReturn, shopifyReasonFor, type PhotoRecord, type ShopifyReturn } from "./return-record.server";
import { statusView } from "./return-status.server";
import { ORDER_RETURNS_QUERY, RETURNABLE_FULFILLMENTS_QUERY, RETURN_REQUEST_MUTATION } from "./returns-documents";
import { ActionInProgressError, runOnce } from "./shopify-action.server";
import type { AdminGateway } from "../shopify/admin-gateway.server";

const NOTE_MAX = 1000;

/** Minor units as Shopify's Decimal input ("20.00"). */
function decimal(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (!digits) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${minor < 0 ? "-" : ""}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The ShopifyAction key of a portal return request: findable by order while it is under way. */
export const returnRequestKey = (orderId: string, requestKey: string) => `return:${orderId}:${requestKey}`;

/** The input's own shape: anything wrong is named before a rule or Shopify is asked. */
function checkInput(input: ReturnRequestInput): void {
  if (!input.requestKey || input.requestKey.length > 100)
    throw new PortalError(
      "BAD_REQUEST",
      "The request is missing its key; reload the page and try again.",
      "requestKey",
    );
  if (!RETURN_REASONS.includes(input.reason))
    throw new PortalError("BAD_REQUEST", "Choose why you are sending the item back.", "reason");
  if (!input.lines?.length) throw new PortalError("BAD_REQUEST", "Choose at least one item to return.", "lines");
  const seen = new Set<string>();
  input.lines.forEach((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      throw new PortalError("BAD_REQUEST", "Choose how many to return (1 or more).", `lines[${index}].quantity`);
    if (seen.has(line.lineId))
      throw new PortalError("BAD_REQUEST", "Each item can be chosen once.", `lines[${index}].lineId`);
    seen.add(line.lineId);
  });
  if ((input.note ?? "").length > NOTE_MAX)
    throw new PortalError("BAD_REQUEST", `Keep the note under ${NOTE_MAX} characters.`, "note");
  checkPhotos(input.photos ?? []);
  if ((input.reason === "wrong_item" || input.reason === "damaged") && !input.photos?.length)
    throw new PortalError(
      "PHOTO_REQUIRED",
      input.reason === "wrong_item"
        ? "Add a photo of the item you received, so the store can see what went wrong (RET-9)."
        : "Add a photo of the damage, so the store can arrange the return (RET-10).",
      "photos",
    );
}

interface Returnable {
  returnableFulfillments: {
    nodes: Array<{
      returnableFulfillmentLineItems: {
        nodes: Array<{ quantity: number; fulfillmentLineItem: { id: string; lineItem: { id: string } } }>;
      };
    }>;
  };
}

/** Shopify's own count of what can be returned, by order line: the fulfillment line items to name. */
async function shopifyReturnable(gateway: AdminGateway, orderId: string) {
  const answer = await gateway.request<Returnable>(RETURNABLE_FULFILLMENTS_QUERY, { orderId });
  const byLine = new Map<string, Array<{ fulfillmentLineItemId: string; quantity: number }>>();
  for (const fulfillment of answer.returnableFulfillments.nodes)
    for (const item of fulfillment.returnableFulfillmentLineItems.nodes) {
      const list = byLine.get(item.fulfillmentLineItem.lineItem.id) ?? [];
      list.push({ fulfillmentLineItemId: item.fulfillmentLineItem.id, quantity: item.quantity });
      byLine.set(item.fulfillmentLineItem.lineItem.id, list);
    }
  return byLine;
}

/** Every rule again, at the moment of the request, with Shopify's returnable quantities: never what the client showed. */
function checkRules(
  facts: OrderReturnFacts,
  input: ReturnRequestInput,
  now: Date,
  returnable: Map<string, Array<{ fulfillmentLineItemId: string; quantity: number }>>,
) {
  const counts = new Map([...returnable].map(([lineId, items]) => [lineId, items.reduce((s, i) => s + i.quantity, 0)]));
  const options = optionsFromFacts(facts, now, counts);
  return input.lines.flatMap((requested, index) => {
    const line = options.lines.find((l) => l.lineId === requested.lineId);
    if (!line)
      throw new PortalError("BAD_REQUEST", "This order has no such item; reload the page.", `lines[${index}].lineId`);
    const verdict = line.reasons.find((r) => r.reason === input.reason)!;
    if (!verdict.allowed) {
      const code = /WINDOW_CLOSED/.test(verdict.code) ? "WINDOW_CLOSED" : "NOT_RETURNABLE";
      throw new PortalError(code, `${line.title}: ${verdict.message}`, `lines[${index}]`, verdict.rule);
    }
    if (requested.quantity > line.returnableQuantity)
      throw new PortalError(
        "BAD_REQUEST",
        `${line.title}: only ${line.returnableQuantity} can be returned.`,
        `lines[${index}].quantity`,
      );
    // Spread the quantity over the fulfillments that hold the line.
    let left = requested.quantity;
    return (returnable.get(requested.lineId) ?? []).flatMap((item) => {
      const take = Math.min(left, item.quantity);
      left -= take;
      return take > 0 ? [{ fulfillmentLineItemId: item.fulfillmentLineItemId, quantity: take }] : [];
    });
  });
}

type FulfillmentRequest = { fulfillmentLineItemId: string; quantity: number };

interface ReturnRequestAnswer {
  returnRequest: { return: ShopifyReturn | null; userErrors: Array<{ field: string[] | null; message: string }> };
}

/** Shopify's return for these exact line items, made by an attempt whose answer was lost; null if none. */
async function findCreated(
  gateway: AdminGateway,
  orderId: string,
  items: FulfillmentRequest[],
  known: Set<string>,
): Promise<ShopifyReturn | null> {
  const answer = await gateway.request<{ order: { returns: { nodes: ShopifyReturn[] } } | null }>(ORDER_RETURNS_QUERY, {
    id: orderId,
  });
  const wanted = items
    .map((i) => `${i.fulfillmentLineItemId}×${i.quantity}`)
    .sort()
    .join(",");
  return (
    answer.order?.returns.nodes.find(
      (ret) =>
        ret.status === "REQUESTED" &&
        !known.has(ret.id) &&
        ret.returnLineItems.nodes
          .map((l) => `${l.fulfillmentLineItem?.id}×${l.quantity}`)
          .sort()
          .join(",") === wanted,
    ) ?? null
  );
}

/**
 * A return or claim, checked again against every rule now, created in Shopify with
 * `returnRequest` (RET-7's fee as its return shipping fee, the shopper's note, the claim
 * photos as Shopify files) and recorded in the app (TML-8, RET-9's answer clock).
 * The same requestKey twice creates one return.
 */
export async function requestReturn(
  shop: string,
  customerId: string,
  input: ReturnRequestInput,
  now: Date,
  deps: PortalDeps = {},
): Promise<RequestedReturn> {
  const db = portalDb(deps);
  checkInput(input);
  const facts = await loadReturnFacts(shop, customerId, input.orderId, deps);
  const repeat = await db.return.findUnique({ where: { shop_requestKey: { shop, requestKey: input.requestKey } } });
  if (repeat) return answer(shop, customerId, input.orderId, repeat.id, now, deps, true);

  let gateway: AdminGateway;
  let items: FulfillmentRequest[];
  try {
    gateway = await portalGateway(shop, deps);
    items = checkRules(facts, input, now, await shopifyReturnable(gateway, facts.order.id));
  } catch (error) {
    throw unavailable(error);
  }
  const preview = refundPreview(facts, input.reason, input.lines);
  const feeCents = preview.fees.reduce((sum, fee) => sum + fee.amount.amount, 0);
  const note = input.note?.trim() || null;

  const record = async (ret: ShopifyReturn, photos: PhotoRecord[]) => {
    await db.$transaction(async (tx) => {
      const orders = new OrderCache(tx, now).forShop(shop);
      await recordRequestedReturn(orders, {
        shop,
        ret,
        source: "portal",
        reason: input.reason,
        feeCents,
        currency: facts.order.currency,
        requestKey: input.requestKey,
        customerId,
        customerNote: note,
        lineFacts: new Map(
          facts.lines.map((l) => [l.lineId, { unitPriceCents: l.unitPrice.amount, unitTaxCents: l.unitTax.amount }]),
        ),
        photos,
        settings: facts.settings,
        eventSource: "portal",
      });
      await orders.flush();
    });
    return { returnId: ret.id };
  };

  let outcome: { result: { returnId: string }; repeated: boolean };
  try {
    outcome = await runOnce(
      shop,
      returnRequestKey(facts.order.id, input.requestKey),
      async () => {
        const photos = await uploadClaimPhotos(gateway, input.photos ?? [], `${facts.order.name} ${input.reason}`);
        const known = new Set(facts.order.returns.map((r) => r.id));
        let created: ReturnRequestAnswer;
        try {
          created = await gateway.request<ReturnRequestAnswer>(RETURN_REQUEST_MUTATION, {
            input: {
              orderId: facts.order.id,
              returnLineItems: items.map((item) => ({
                ...item,
                returnReason: shopifyReasonFor(input.reason),
                ...(note ? { customerNote: note } : {}),
              })),
              returnShippingFee: {
                amount: { amount: decimal(feeCents, facts.order.currency), currencyCode: facts.order.currency },
              },
            },
          });
        } catch (error) {
          // The answer was lost (a timeout after Shopify acted): Shopify's returns say whether it did.
          const found = await findCreated(gateway, facts.order.id, items, known).catch(() => null);
          if (found) return record(found, photos);
          throw error;
        }
        const { return: ret, userErrors } = created.returnRequest;
        if (ret && !userErrors.length) return record(ret, photos);
        // Refused, perhaps because a retried attempt of this request already holds the units.
        const found = await findCreated(gateway, facts.order.id, items, known);
        if (found) return record(found, photos);
        throw new ShopifyRefusal(userErrors, "create the return");
      },
      {
        db,
        now,
        recover: async () => {
          const known = new Set(facts.order.returns.map((r) => r.id));
          const ret = await findCreated(gateway, facts.order.id, items, known);
          return ret ? record(ret, []) : null;
        },
      },
    );
  } catch (error) {
    if (error instanceof ActionInProgressError)
      throw new PortalError("IN_PROGRESS", "Your request is already being sent; it will show here in a moment.");
    throw unavailable(error);
  }
  if (!outcome.repeated) await approveUnattended(shop, gateway, facts.settings, outcome.result.returnId, now, deps);
  return answer(shop, customerId, input.orderId, outcome.result.returnId, now, deps, outcome.repeated);
}

/**
 * `returns.autoApprove`: an eligible change-of-mind return is approved as it is requested.
 * The shopper's request stands whatever happens here: a failure leaves the return to staff.
 */
async function approveUnattended(
  shop: string,
  gateway: AdminGateway,
  settings: PolicySettings,
  returnId: string,
  now: Date,
  deps: PortalDeps,
): Promise<void> {
  if (!settings.returns.autoApprove) return;
  try {
    await autoApproveReturn({ db: portalDb(deps), gateway, settings, now }, returnId, { issueLabel: deps.issueLabel });
  } catch (error) {
    console.error(`auto-approval of ${returnId} (${shop}) left to staff: ${(error as Error).message}`);
  }
}

/** The request as stored, with what happens next and by when. */
async function answer(
  shop: string,
  customerId: string,
  orderId: string,
  returnId: string,
  now: Date,
  deps: PortalDeps,
  repeated: boolean,
): Promise<RequestedReturn> {
  const db = portalDb(deps);
  const facts = await loadReturnFacts(shop, customerId, orderId, deps);
  const ret = facts.order.returns.find((r) => r.id === returnId);
  if (!ret) throw new PortalError("NOT_FOUND", "We could not find that return in your account.");
  const photos = await db.returnPhoto.findMany({
    where: { returnId, kind: "claim" },
    select: { fileId: true, url: true },
  });
  const view = statusView(ret, facts.order, facts.settings, now);
  const reason = view.reason;
  const preview = refundPreview(
    factsOf(shop, facts.order, facts.settings),
    reason,
    ret.lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })),
  );
  const nextSteps = [
    view.answerBy
      ? view.message
      : "The store reviews your request; once approved, a prepaid label appears on this page.",
    `When the label is issued, ship within ${facts.settings.returns.labelVoidBusinessDays} business days; it voids after that (RET-6).`,
    ...(view.arrivalBy
      ? [
          `The package must reach the store by ${shortDate(view.arrivalBy, now, facts.settings.calendar.timeZone)} (RET-12).`,
        ]
      : []),
    preview.refundNote,
  ];
  return {
    returnId: ret.id,
    name: ret.name,
    status: view.status,
    reason,
    fee: view.fee,
    refundPreview: preview,
    answerBy: view.answerBy,
    arrivalBy: view.arrivalBy,
    photos,
    nextSteps,
    repeated,
  };
}
