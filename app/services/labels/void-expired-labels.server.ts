import type { PrismaClient, ReturnLabel } from "@prisma/client";
import prisma from "../../db.server";
import { lostInTransit, shouldVoid } from "../../policy/labels";
import { recordReturnChange, returnDeadlineKey } from "../returns/return-record.server";
import { withOrders } from "../returns/queue-steps.server";
import { ActionInProgressError, onceOnly } from "../returns/shopify-action.server";
import type { OrderCache } from "../orders/order-cache.server";
import { CarrierError, type LabelService } from "./label-service.server";
import { configuredLabelService } from "./easypost-labels.server";
import { applyTracking } from "./track-parcel.server";

export interface LabelSweep {
  voided: number;
  /** Labels found scanned when asked before voiding (a webhook not yet arrived). */
  scanned: number;
  /** Carrier failures: those labels are tried again on the next sweep. */
  failed: number;
  lost: number;
}

async function recordVoided(orders: OrderCache, label: ReturnLabel, now: Date): Promise<void> {
  const updated = await orders.tx.returnLabel.updateMany({
    where: { id: label.id, status: "issued" },
    data: { status: "voided", voidedAt: now },
  });
  if (updated.count === 0) return; // a scan or another sweep got there first
  const ret = await orders.tx.return.findUniqueOrThrow({ where: { id: label.returnId }, select: { status: true } });
  await recordReturnChange(orders, {
    shop: label.shop,
    returnId: label.returnId,
    // The return waits for a new label (or closes); one further along keeps its status.
    status: ret.status === "approved" ? "label_voided" : (ret.status as "label_voided"),
    kind: "label_voided",
    // TML-8: the label voided at RET-6's moment; the carrier's refund is how it is enforced.
    at: label.voidsAt,
    source: "RET-6",
  });
}

/** RET-6: void one label whose moment has passed, unless the carrier has scanned it after all. */
async function voidOne(
  db: PrismaClient,
  labels: LabelService | null,
  label: ReturnLabel,
  now: Date,
  sweep: LabelSweep,
) {
  if (label.source === "carrier") {
    if (!labels || !label.carrierShipmentId) return void sweep.failed++;
    const tracking = await labels.tracking(label.carrierShipmentId);
    if (tracking?.firstScanAt) {
      await withOrders(db, label.shop, now, (orders) =>
        applyTracking(orders, label, { ...tracking, source: "carrier poll" }),
      );
      return void sweep.scanned++;
    }
    const outcome = await onceOnly(label.shop, `void:${label.id}`, () => labels.voidLabel(label.carrierShipmentId!), {
      db,
      now,
    });
    // The carrier refuses to refund a label it has scanned: its tracking will say so.
    if (outcome === "rejected") return void sweep.failed++;
  }
  await withOrders(db, label.shop, now, (orders) => recordVoided(orders, label, now));
  sweep.voided++;
}

/** RET-12 / RET-13: a parcel in transit that has not reached the store by its arrival date is lost. */
async function flagLost(db: PrismaClient, labels: LabelService | null, now: Date, sweep: LabelSweep, limit: number) {
  const moving = await db.returnLabel.findMany({
    where: { status: "in_transit", deliveredAt: null },
    include: { return: { select: { orderId: true } } },
    take: limit,
  });
  for (const label of moving) {
    const deadline = await db.orderDeadline.findUnique({
      where: {
        orderId_key: { orderId: label.return.orderId, key: returnDeadlineKey("return_arrival", label.returnId) },
      },
    });
    const lost = lostInTransit({ ...label, arriveBy: deadline?.dueAt ?? null }, now);
    if (!lost) continue;
    // A delivery the webhook has not brought yet: asked of the carrier first.
    const tracking = labels && label.carrierShipmentId ? await labels.tracking(label.carrierShipmentId) : null;
    await withOrders(db, label.shop, now, async (orders) => {
      if (tracking?.deliveredAt) return applyTracking(orders, label, { ...tracking, source: "carrier poll" });
      await orders.tx.returnLabel.update({ where: { id: label.id }, data: { status: "lost" } });
      await orders.tx.orderAlert.upsert({
        where: { orderId_kind: { orderId: label.return.orderId, kind: lost.kind } },
        create: {
          orderId: label.return.orderId,
          shop: label.shop,
          kind: lost.kind,
          rule: lost.rule,
          since: lost.since,
        },
        update: {},
      });
      await recordReturnChange(orders, {
        shop: label.shop,
        returnId: label.returnId,
        status: "lost",
        kind: "return_lost",
        at: lost.since,
        source: lost.rule,
      });
      sweep.lost++;
      return true;
    });
  }
}

/**
 * The worker's label sweep: labels past RET-6's moment without an acceptance scan are voided
 * with the carrier (the unused label refunded) and "label voided" recorded; a carrier that
 * fails leaves the label as it was, for the next sweep. Run twice (or by two workers), a
 * label is voided with the carrier once. Then parcels past RET-12's date are flagged lost.
 */
export async function voidExpiredLabels(
  now: Date,
  deps: { db?: PrismaClient; labels?: LabelService | null } = {},
  limit = 100,
): Promise<LabelSweep> {
  const db = deps.db ?? prisma;
  const labels = deps.labels === undefined ? configuredLabelService() : deps.labels;
  const sweep: LabelSweep = { voided: 0, scanned: 0, failed: 0, lost: 0 };
  const due = await db.returnLabel.findMany({
    where: { status: "issued", voidsAt: { lt: now } },
    orderBy: { voidsAt: "asc" },
    take: limit,
  });
  for (const label of due) {
    if (!shouldVoid(label, now)) continue;
    try {
      await voidOne(db, labels, label, now, sweep);
    } catch (error) {
      if (error instanceof ActionInProgressError) continue; // another worker is voiding it right now
      sweep.failed++;
      if (!(error instanceof CarrierError)) throw error;
      console.warn(`label ${label.id} (${label.shop}) not voided yet: ${error.message}`);
    }
  }
  try {
    await flagLost(db, labels, now, sweep, limit);
  } catch (error) {
    if (!(error instanceof CarrierError)) throw error;
    console.warn(`lost-in-transit check put off: ${error.message}`);
  }
  return sweep;
}
