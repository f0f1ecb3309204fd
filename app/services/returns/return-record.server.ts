import type { Prisma, Return } from "@prisma/client";
import {
  calendarDaysWindowEnd,
  hoursWindowEnd,
  type OrderEventKind,
  type PolicySettings,
  returnDeadlineKey,
  type ReturnReason,
  type RuleId,
} from "../../policy";
import type { OrderCache } from "../orders/order-cache.server";
import { recordEvent } from "../orders/order-timeline.server";
import type { ReturnStatus } from "./portal-types";

/**
 * The app's copy of a Shopify return: the Return row, its lines and photos, its
 * timeline entries (TML-8, at the time they happened) and its deadlines. Written by
 * the portal right after Shopify answers, by the `returns/*` webhook handlers (which
 * heal a return the app missed) and by the merchant's queue.
 */

export type ReturnSource = "portal" | "native" | "admin";
export type ShopifyReturnStatus = "REQUESTED" | "OPEN" | "CLOSED" | "DECLINED" | "CANCELED";
export type ShopifyReturnReason =
  | "COLOR"
  | "DEFECTIVE"
  | "NOT_AS_DESCRIBED"
  | "OTHER"
  | "SIZE_TOO_LARGE"
  | "SIZE_TOO_SMALL"
  | "STYLE"
  | "UNKNOWN"
  | "UNWANTED"
  | "WRONG_ITEM";

/** Shopify's Return as RETURN_FIELDS (returns-documents.ts) selects it. */
export interface ShopifyReturn {
  id: string;
  name: string | null;
  status: ShopifyReturnStatus;
  createdAt: string;
  requestApprovedAt: string | null;
  closedAt: string | null;
  decline: { reason: string; note: string | null } | null;
  order: { id: string };
  returnShippingFees: Array<{ amountSet: { shopMoney: { amount: string; currencyCode: string } } }>;
  returnLineItems: {
    nodes: Array<{
      id: string;
      quantity: number;
      returnReason: ShopifyReturnReason;
      customerNote: string | null;
      fulfillmentLineItem?: { id: string; lineItem: { id: string } };
    }>;
  };
}

// Return deadlines are OrderDeadline rows keyed `<kind>:<return gid>`, named by the policy.
export { returnDeadlineKey, type ReturnDeadlineKind } from "../../policy";

/** The reason Shopify is told (its enum has no "inauthentic": NOT_AS_DESCRIBED is the nearest). */
export function shopifyReasonFor(reason: ReturnReason): ShopifyReturnReason {
  switch (reason) {
    case "wrong_item":
      return "WRONG_ITEM";
    case "damaged":
      return "DEFECTIVE";
    case "inauthentic":
      return "NOT_AS_DESCRIBED";
    default:
      return "UNWANTED";
  }
}

/**
 * A return created outside the app, read by its Shopify reason. Anything Shopify does not
 * call wrong or defective is judged as a change of mind: a claim of inauthenticity
 * needs the portal (RET-11 asks for a verified authenticator).
 */
export function reasonFromShopify(reasons: readonly ShopifyReturnReason[]): ReturnReason {
  if (reasons.length && reasons.every((r) => r === "WRONG_ITEM")) return "wrong_item";
  if (reasons.length && reasons.every((r) => r === "DEFECTIVE")) return "damaged";
  return "change_of_mind";
}

/** The app's status for Shopify's. OPEN is approved until a label, a scan or a receipt says more. */
export function statusFromShopify(status: ShopifyReturnStatus): ReturnStatus {
  switch (status) {
    case "REQUESTED":
      return "requested";
    case "OPEN":
      return "approved";
    case "CLOSED":
      return "closed";
    case "DECLINED":
      return "declined";
    case "CANCELED":
      return "cancelled";
  }
}

export interface PhotoRecord {
  fileId: string;
  url: string | null;
  contentType: string;
  bytes: number;
}

export interface RecordReturnInput {
  shop: string;
  ret: ShopifyReturn;
  source: ReturnSource;
  reason: ReturnReason;
  /** RET-7 as decided when it was requested (the portal) or as Shopify holds it (native). */
  feeCents: number;
  currency: string;
  requestKey?: string | null;
  customerId?: string | null;
  customerNote?: string | null;
  /** Unit price and tax per order line, for the refund the queue computes later. */
  lineFacts: Map<string, { unitPriceCents: number; unitTaxCents: number }>;
  photos?: PhotoRecord[];
  settings: PolicySettings;
  /** The event's origin on the timeline ("portal", "returns/request", …). */
  eventSource: string;
  /** When a status beyond requested was reached, if Shopify's Return does not say (a decline). */
  decidedAt?: Date;
}

/**
 * Store a return Shopify has created, once: a second call for the same return leaves the
 * stored one as it is (the first writer knew more: the portal knows the reason and the fee).
 * Records "return requested" at Shopify's createdAt and the deadlines it starts:
 * RET-9's 24-hour answer for a wrong-item claim, RET-12's arrival date.
 */
export async function recordRequestedReturn(orders: OrderCache, input: RecordReturnInput): Promise<Return> {
  const { tx } = orders;
  const { ret, shop, settings } = input;
  const known = await tx.return.findUnique({ where: { id: ret.id } });
  if (known && known.shop !== shop) throw new Error(`return ${ret.id} is not a return of ${shop}`);
  const order = await orders.require(ret.order.id);
  const requestedAt = new Date(ret.createdAt);
  let row = known;
  if (!row) {
    row = await tx.return.create({
      data: {
        id: ret.id,
        shop,
        orderId: order.id,
        name: ret.name,
        status: statusFromShopify(ret.status),
        reason: input.reason,
        customerId: input.customerId ?? order.customerId,
        customerNote: input.customerNote ?? ret.returnLineItems.nodes.find((l) => l.customerNote)?.customerNote ?? null,
        source: input.source,
        requestKey: input.requestKey ?? null,
        feeCents: input.feeCents,
        currency: input.currency,
        requestedAt,
        decidedAt: ret.requestApprovedAt ? new Date(ret.requestApprovedAt) : null,
        declineReason: ret.decline?.reason ?? null,
        declineNote: ret.decline?.note ?? null,
        closedAt: ret.closedAt ? new Date(ret.closedAt) : null,
        lines: {
          create: ret.returnLineItems.nodes.map((line) => {
            const lineItemId = line.fulfillmentLineItem?.lineItem.id ?? "";
            const facts = input.lineFacts.get(lineItemId);
            return {
              id: line.id,
              orderLineId: lineItemId,
              fulfillmentLineItemId: line.fulfillmentLineItem?.id ?? "",
              quantity: line.quantity,
              unitPriceCents: facts?.unitPriceCents ?? 0,
              taxCents: (facts?.unitTaxCents ?? 0) * line.quantity,
            };
          }),
        },
        photos: {
          create: (input.photos ?? []).map((photo) => ({ shop, kind: "claim", ...photo })),
        },
      },
    });
  }
  await recordEvent(orders, order.id, "return_requested", ret.id, requestedAt, input.eventSource);
  if (row.reason === "wrong_item") {
    await setReturnDeadline(
      orders,
      order.id,
      returnDeadlineKey("return_answer", ret.id),
      "RET-9",
      hoursWindowEnd(requestedAt, settings.returns.wrongItem.answerHours),
    );
  }
  await syncReturnArrivals(orders, order.id, settings);
  // Shopify may already be further along (a missed webhook healed late, a native return just declined).
  if (ret.status !== "REQUESTED") await applyShopifyStatus(orders, shop, ret, input.eventSource, input.decidedAt);
  return row;
}

/** Add or move a return's deadline; one that moves is acted on again when due. */
export async function setReturnDeadline(
  orders: OrderCache,
  orderId: string,
  key: string,
  rule: RuleId,
  dueAt: Date,
): Promise<void> {
  const order = await orders.require(orderId);
  const known = order.deadlines.find((d) => d.key === key);
  if (!known) {
    orders.addDeadline(order, { key, rule, dueAt, projected: false, settled: false });
  } else if (known.dueAt.getTime() !== dueAt.getTime()) {
    await orders.updateDeadline(known, { dueAt, rule, actedAt: null });
  }
}

/**
 * RET-12's arrival date of each of the order's returns, from the facts: the order's
 * earliest delivery (a carrier's delivery time recorded after Shopify's later record
 * time moves it). Set once the delivery is known, whichever came first: the return or
 * the delivery. A settled deadline stays settled. Returns whether a deadline changed.
 */
export async function syncReturnArrivals(
  orders: OrderCache,
  orderId: string,
  settings: PolicySettings,
): Promise<boolean> {
  const order = await orders.get(orderId);
  const days = settings.returns.packageArrivalDays;
  if (!order || days === null) return false;
  const delivered = order.events
    .filter((e) => e.kind === "delivered")
    .map((e) => e.occurredAt)
    .sort((a, b) => +a - +b)[0];
  if (!delivered) return false;
  const dueAt = calendarDaysWindowEnd(delivered, days, settings.calendar.timeZone);
  const returns = new Set(order.events.filter((e) => e.kind === "return_requested").map((e) => e.ref));
  let changed = false;
  for (const returnId of returns) {
    const key = returnDeadlineKey("return_arrival", returnId);
    const known = order.deadlines.find((d) => d.key === key);
    if (known?.dueAt.getTime() === dueAt.getTime()) continue;
    await setReturnDeadline(orders, orderId, key, "RET-12", dueAt);
    changed = true;
  }
  return changed;
}

/** Settle a return's deadline (the answer was given, the package arrived…): it no longer matters. */
export async function settleReturnDeadline(orders: OrderCache, orderId: string, key: string): Promise<void> {
  const order = await orders.require(orderId);
  const known = order.deadlines.find((d) => d.key === key);
  if (known && !known.settled) await orders.updateDeadline(known, { settled: true });
}

export interface ReturnChange {
  shop: string;
  returnId: string;
  /** The new status; null keeps the stored one (a step that is not a status, such as Shopify's processing). */
  status: ReturnStatus | null;
  /** The timeline entry the change is, if it is one. */
  kind: OrderEventKind | null;
  at: Date;
  source: string;
  data?: Prisma.ReturnUncheckedUpdateInput;
}

/**
 * How far along a return is: it only ever moves forward, so a step reported late (a
 * returns/approve after the parcel was received) leaves it where it is. A voided label
 * comes after the approval; final statuses are never left (a late webhook cannot reopen them).
 */
const RANK: Record<ReturnStatus, number> = {
  requested: 0,
  approved: 1,
  label_voided: 2,
  in_transit: 3,
  received: 4,
  inspected: 5,
  refunded: 6,
  closed: 7,
  declined: 7,
  cancelled: 7,
  rejected: 7,
  lost: 7,
};

/** Whether a return in `from` moves to `to`: forward only, whatever order the steps arrive in. */
export const movesForward = (from: string, to: ReturnStatus) => RANK[to] > (RANK[from as ReturnStatus] ?? -1);

/**
 * Move a stored return to a new status and record the step on the timeline once, at the
 * time it happened. A step reported again, or late, keeps the earliest time; a return
 * never moves back (RANK). Returns false when the return is not stored (the caller heals it).
 */
export async function recordReturnChange(orders: OrderCache, change: ReturnChange): Promise<boolean> {
  const { tx } = orders;
  const row = await tx.return.findUnique({ where: { id: change.returnId } });
  if (!row || row.shop !== change.shop) return false;
  const moves = change.status !== null && movesForward(row.status, change.status);
  await tx.return.update({
    where: { id: row.id },
    data: { ...change.data, ...(moves ? { status: change.status! } : {}) },
  });
  if (change.kind) await recordEvent(orders, row.orderId, change.kind, row.id, change.at, change.source);
  if (change.kind === "return_declined" || change.kind === "return_approved" || change.kind === "return_cancelled")
    await settleReturnDeadline(orders, row.orderId, returnDeadlineKey("return_answer", row.id));
  return true;
}

/** What Shopify's status of a return says happened, recorded on the stored return. */
export async function applyShopifyStatus(
  orders: OrderCache,
  shop: string,
  ret: ShopifyReturn,
  source: string,
  /** When a decline or cancellation happened (Shopify's Return does not say); the request's time if unknown. */
  decidedAt: Date = new Date(ret.createdAt),
): Promise<boolean> {
  const base = { shop, returnId: ret.id, source };
  // An approval Shopify's Return proves is on the timeline whatever its status now (closed since).
  if (ret.requestApprovedAt && ret.status !== "OPEN")
    await recordReturnChange(orders, {
      ...base,
      status: "approved",
      kind: "return_approved",
      at: new Date(ret.requestApprovedAt),
      data: { decidedAt: new Date(ret.requestApprovedAt) },
    });
  switch (ret.status) {
    case "OPEN":
      return recordReturnChange(orders, {
        ...base,
        status: "approved",
        kind: "return_approved",
        at: new Date(ret.requestApprovedAt ?? ret.createdAt),
        data: { decidedAt: new Date(ret.requestApprovedAt ?? ret.createdAt) },
      });
    case "DECLINED":
      return recordReturnChange(orders, {
        ...base,
        status: "declined",
        kind: "return_declined",
        at: decidedAt,
        data: {
          declineReason: ret.decline?.reason ?? null,
          declineNote: ret.decline?.note ?? null,
          decidedAt,
        },
      });
    case "CLOSED":
      return recordReturnChange(orders, {
        ...base,
        status: "closed",
        kind: "return_closed",
        at: new Date(ret.closedAt ?? ret.createdAt),
        data: { closedAt: new Date(ret.closedAt ?? ret.createdAt) },
      });
    case "CANCELED":
      return recordReturnChange(orders, {
        ...base,
        status: "cancelled",
        kind: "return_cancelled",
        at: decidedAt,
      });
    default:
      return false;
  }
}
