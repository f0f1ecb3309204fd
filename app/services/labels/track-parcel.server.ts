import type { PrismaClient, ReturnLabel, WebhookEvent } from "@prisma/client";
import { firstScanVerdict } from "../../policy/labels";
import type { OrderCache } from "../orders/order-cache.server";
import { recordReturnChange, returnDeadlineKey, settleReturnDeadline } from "../returns/return-record.server";
import type { ReturnStatus } from "../returns/portal-types";
import type { StoredTracking } from "./receive-carrier-webhook.server";

/** A tracking update as the app applies it (from a webhook or from polling the carrier). */
export interface TrackingFacts {
  trackingNumber: string;
  firstScanAt: Date | null;
  deliveredAt: Date | null;
  /** Where it came from, for the timeline ("carrier/tracker.updated", "carrier poll"). */
  source: string;
}

const RECEIVABLE = ["approved", "label_voided", "in_transit"];
const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const earlier = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * Apply what the carrier says of a label: its first scan (in transit, or RET-6's
 * "shipped after the label voided: reject" when it came after the void moment) and its
 * delivery to the store (received, RET-12's clock stopped). Reported twice, late or out of
 * order, the earliest scan and delivery win. Returns whether anything changed.
 */
export async function applyTracking(orders: OrderCache, label: ReturnLabel, facts: TrackingFacts): Promise<boolean> {
  const { tx } = orders;
  const ret = await tx.return.findUniqueOrThrow({
    where: { id: label.returnId },
    select: { orderId: true, status: true },
  });
  // A late report never moves a return back (a scan reported after its delivery).
  const onward = (to: string, from: readonly string[]) => (from.includes(ret.status) ? to : ret.status);
  const firstScanAt = earlier(label.firstScanAt, facts.firstScanAt ?? facts.deliveredAt);
  const deliveredAt = earlier(label.deliveredAt, facts.deliveredAt);
  if (same(firstScanAt, label.firstScanAt) && same(deliveredAt, label.deliveredAt)) return false;
  const base = { shop: label.shop, returnId: label.returnId, source: facts.source };
  const verdict = firstScanAt ? firstScanVerdict(firstScanAt, label.voidsAt) : null;
  const status =
    verdict && !verdict.allowed ? "rejected" : deliveredAt ? "delivered" : firstScanAt ? "in_transit" : label.status;
  await tx.returnLabel.update({ where: { id: label.id }, data: { firstScanAt, deliveredAt, status } });
  if (firstScanAt && verdict) {
    if (verdict.allowed) {
      await recordReturnChange(orders, {
        ...base,
        status: onward("in_transit", ["approved", "label_voided"]) as ReturnStatus,
        kind: "return_shipped",
        at: firstScanAt,
      });
      await settleReturnDeadline(orders, ret.orderId, returnDeadlineKey("label_void", label.returnId));
    } else {
      // RET-6: the label had voided; the package is refused, never received for a refund.
      await recordReturnChange(orders, { ...base, status: "rejected", kind: "return_rejected", at: firstScanAt });
    }
  }
  if (deliveredAt && verdict?.allowed) {
    await recordReturnChange(orders, {
      ...base,
      status: onward("received", RECEIVABLE) as ReturnStatus,
      kind: "return_received",
      at: deliveredAt,
      data: RECEIVABLE.includes(ret.status) ? { receivedAt: deliveredAt } : {},
    });
    await settleReturnDeadline(orders, ret.orderId, returnDeadlineKey("return_arrival", label.returnId));
  }
  return true;
}

/** The label a tracking number names in a shop (the carrier's numbers are unique per carrier, not per shop). */
export function labelByTracking(db: Pick<PrismaClient, "returnLabel">, shop: string, trackingNumber: string) {
  return db.returnLabel.findFirst({
    where: { shop, trackingNumber, source: "carrier" },
    include: { return: { select: { orderId: true } } },
  });
}

/** The inbox's handler for carrier/tracker.updated: the order it touches, and the change applied in the batch. */
export async function prepareTrackingEvent(
  event: WebhookEvent,
  db: PrismaClient,
): Promise<{ orders: string[]; apply: (orders: OrderCache) => Promise<boolean> }> {
  const stored = JSON.parse(event.body) as StoredTracking;
  const found = await labelByTracking(db, event.shop, stored.trackingNumber);
  if (!found) return { orders: [], apply: async () => false };
  return {
    orders: [found.return.orderId],
    apply: async (orders) => {
      // Read again inside the transaction: an earlier event of the batch may have moved it.
      const label = await orders.tx.returnLabel.findUniqueOrThrow({ where: { id: found.id } });
      return applyTracking(orders, label, {
        trackingNumber: stored.trackingNumber,
        firstScanAt: stored.firstScanAt ? new Date(stored.firstScanAt) : null,
        deliveredAt: stored.deliveredAt ? new Date(stored.deliveredAt) : null,
        source: event.topic,
      });
    },
  };
}
