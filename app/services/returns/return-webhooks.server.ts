import type { PrismaClient } from "@prisma/client";
import { WaitForEarlierEvents } from "../inbox/webhook-errors.server";
import { parseDecimal, type PolicySettings } from "../../policy";
import type { OrderCache } from "../orders/order-cache.server";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { checkNativeReturn } from "./check-native-return.server";
import { factsOf, type StoredOrder } from "./return-facts.server";
import {
  reasonFromShopify,
  recordRequestedReturn,
  recordReturnChange,
  type ReturnChange,
  type ReturnSource,
  type ShopifyReturn,
} from "./return-record.server";
import { RETURN_QUERY } from "./returns-documents";
import { ORDER_SNAPSHOT_QUERY } from "../orders/order-documents";
import { snapshotFromAdmin } from "../orders/order-snapshot.server";

/** What a `returns/*` webhook needs: the handler registry's context, narrowed. */
export interface ReturnEventContext {
  db: PrismaClient;
  gateway: (shop: string) => Promise<AdminGateway>;
  settings: (shop: string) => Promise<PolicySettings>;
}

export interface ReturnEvent {
  shop: string;
  topic: string;
  returnId: string;
  orderId: string;
  /** When Shopify says it happened (the webhook's triggered-at). */
  at: Date;
  /** When the app received it: how long it may wait for the events it needs. */
  receivedAt?: Date;
  decline?: { reason?: string | null; note?: string | null } | null;
}

export interface PreparedReturnEvent {
  apply: (orders: OrderCache) => Promise<boolean>;
  orders: string[];
}

/** How long an event waits, without using up its attempts, for the order or return it needs. */
export const WAIT_FOR_RETURN_MS = 6 * 3_600_000;

/**
 * Thrown while what an event needs is not stored yet (its order, the return a label
 * belongs to, the portal still recording the return it created): a matter of delivery
 * order, not the event's fault, so it is put off without using up an attempt.
 */
export class ReturnNotRecordedYet extends WaitForEarlierEvents {
  override name = "ReturnNotRecordedYet";

  constructor(message: string, retryInMs = 2_000) {
    // Retries run on the wall clock, as the inbox's claims do.
    super(message, new Date(Date.now() + retryInMs));
  }
}

/**
 * The error for an event still waiting for another one: put off while it is young, then an
 * ordinary failure (counted, and dead-lettered in the end) if the awaited event never came.
 */
export function notRecordedYet(message: string, receivedAt: Date | undefined): Error {
  if (receivedAt && Date.now() - receivedAt.getTime() > WAIT_FOR_RETURN_MS)
    return new Error(`${message} (waited since ${receivedAt.toISOString()})`);
  return new ReturnNotRecordedYet(message);
}

const STEPS: Record<string, Pick<ReturnChange, "status" | "kind">> = {
  "returns/approve": { status: "approved", kind: "return_approved" },
  "returns/decline": { status: "declined", kind: "return_declined" },
  "returns/cancel": { status: "cancelled", kind: "return_cancelled" },
  "returns/close": { status: "closed", kind: "return_closed" },
  "returns/reopen": { status: "approved", kind: null },
  "returns/process": { status: null, kind: "return_received" },
  "returns/update": { status: null, kind: null },
};

async function storedOrder(db: PrismaClient, shop: string, orderId: string, receivedAt?: Date): Promise<StoredOrder> {
  const order = await db.order.findFirst({
    where: { id: orderId, shop },
    include: { lines: true, events: true, returns: { include: { lines: true, labels: true } } },
  });
  // Orders arrive (orders/create, reconciliation) before their returns: tried again until it is stored.
  if (!order) throw notRecordedYet(`order ${orderId} of ${shop} is not stored yet`, receivedAt);
  return order;
}

async function fetchReturn(gateway: AdminGateway, id: string): Promise<ShopifyReturn> {
  const { return: ret } = await gateway.request<{ return: ShopifyReturn | null }>(RETURN_QUERY, { id });
  if (!ret) throw new Error(`return ${id} does not exist in Shopify`);
  return ret;
}

const feeOf = (ret: ShopifyReturn, currency: string) =>
  ret.returnShippingFees.reduce((sum, fee) => sum + parseDecimal(fee.amountSet.shopMoney.amount, currency).amount, 0);

/** Store a return the app did not create or missed, as Shopify holds it. */
function healing(
  event: ReturnEvent,
  order: StoredOrder,
  ret: ShopifyReturn,
  source: ReturnSource,
  settings: PolicySettings,
  decidedAt?: Date,
  reason = reasonFromShopify(ret.returnLineItems.nodes.map((l) => l.returnReason)),
  step?: (orders: OrderCache) => Promise<boolean>,
): PreparedReturnEvent {
  const facts = factsOf(event.shop, order, settings);
  return {
    orders: [order.id],
    apply: async (orders) => {
      await recordRequestedReturn(orders, {
        shop: event.shop,
        ret,
        source,
        reason,
        feeCents: feeOf(ret, order.currency),
        currency: order.currency,
        lineFacts: new Map(
          facts.lines.map((l) => [l.lineId, { unitPriceCents: l.unitPrice.amount, unitTaxCents: l.unitTax.amount }]),
        ),
        settings,
        eventSource: event.topic,
        decidedAt,
      });
      // The step this event reports, as when the return was already stored (returns/process: received).
      if (step) await step(orders);
      return true;
    },
  };
}

/**
 * A request is checked against the order as delivered (RET-1): when Shopify has the order
 * delivered but its delivery is not recorded yet (its webhook comes later), the check waits
 * for it rather than decline the return as "not delivered".
 */
async function deliveryRecorded(gateway: AdminGateway, order: StoredOrder, event: ReturnEvent): Promise<void> {
  if (order.events.some((e) => e.kind === "delivered")) return;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const { order: found } = await gateway.request<{ order: Record<string, any> | null }>(ORDER_SNAPSHOT_QUERY, {
    id: order.id,
  });
  if (found && snapshotFromAdmin(found).fulfillments.some((f) => f.deliveredAt))
    throw notRecordedYet(`order ${order.id} is delivered but its delivery is not recorded yet`, event.receivedAt);
}

/**
 * A `returns/*` webhook: the stored return moves on (TML-8 step at Shopify's time); a return
 * the app does not know is fetched and stored (the reverse of "no app return without a
 * Shopify return"); a request created outside the app is checked and, when ineligible,
 * declined (check-native-return).
 */
export async function prepareReturnEvent(ctx: ReturnEventContext, event: ReturnEvent): Promise<PreparedReturnEvent> {
  const { db, shop } = { db: ctx.db, shop: event.shop };
  const known = await db.return.findFirst({ where: { id: event.returnId, shop }, select: { id: true, orderId: true } });
  if (event.topic === "returns/request") {
    if (known) return { orders: [known.orderId], apply: async () => false };
    const pending = await db.shopifyAction.findFirst({
      where: { shop, key: { startsWith: `return:${event.orderId}:` }, status: "started" },
    });
    if (pending) throw notRecordedYet(`return ${event.returnId} is being recorded by the portal`, event.receivedAt);
    const [order, settings, gateway] = await Promise.all([
      storedOrder(db, shop, event.orderId, event.receivedAt),
      ctx.settings(shop),
      ctx.gateway(shop),
    ]);
    await deliveryRecorded(gateway, order, event);
    const ret = await fetchReturn(gateway, event.returnId);
    const check = await checkNativeReturn(db, gateway, shop, order, ret, settings);
    return healing(event, order, check.ret, "native", settings, event.at, check.reason);
  }
  const step = STEPS[event.topic];
  if (!step) return { orders: [], apply: async () => false };
  const apply = (orders: OrderCache) =>
    recordReturnChange(orders, {
      shop,
      returnId: event.returnId,
      ...step,
      at: event.at,
      source: event.topic,
      data:
        event.topic === "returns/decline"
          ? {
              declineReason: event.decline?.reason ?? null,
              declineNote: event.decline?.note ?? null,
              decidedAt: event.at,
            }
          : event.topic === "returns/approve"
            ? { decidedAt: event.at }
            : event.topic === "returns/close"
              ? { closedAt: event.at }
              : {},
    });
  if (!known) {
    const [order, settings, gateway] = await Promise.all([
      storedOrder(db, shop, event.orderId, event.receivedAt),
      ctx.settings(shop),
      ctx.gateway(shop),
    ]);
    const ret = await fetchReturn(gateway, event.returnId);
    return healing(event, order, ret, "admin", settings, event.at, undefined, apply);
  }
  return { orders: [known.orderId], apply };
}
