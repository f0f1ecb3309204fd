import type { ReturnLabel } from "@prisma/client";
import { onceOnly } from "../returns/shopify-action.server";
import { QueueError } from "../returns/queue-errors";
import { recordReturnChange } from "../returns/return-record.server";
import { withOrders } from "../returns/queue-steps.server";
import { CarrierError } from "./label-service.server";
import { requireLabelService } from "./easypost-labels.server";
import type { ResolvedDeps } from "./label-steps.server";

/**
 * A label the shopper lost, replaced by a new one: a bought label is voided with the carrier
 * first (the unused label refunded, once per label: the worker's sweep uses the same key), then
 * it is recorded as voided now with "label voided" on the return's timeline. The return keeps
 * its status: it waits for the new label's parcel.
 */
export async function voidReplacedLabel(deps: ResolvedDeps, label: ReturnLabel, now: Date): Promise<void> {
  if (label.source === "carrier" && label.carrierShipmentId) {
    let outcome: string;
    try {
      const labels = deps.labels ?? requireLabelService();
      outcome = await onceOnly(label.shop, `void:${label.id}`, () => labels.voidLabel(label.carrierShipmentId!), {
        db: deps.db,
        now,
      });
    } catch (error) {
      if (error instanceof CarrierError)
        throw new QueueError("CARRIER_UNAVAILABLE", `The old label could not be voided: ${error.message}`);
      throw error;
    }
    if (outcome === "rejected")
      throw new QueueError(
        "INVALID_STATE",
        "The carrier will not void the old label: it has been scanned, so the parcel is on its way and needs no new label.",
        "RET-6",
      );
  }
  await withOrders(deps.db, label.shop, now, async (orders) => {
    const voided = await orders.tx.returnLabel.updateMany({
      where: { id: label.id, status: "issued" },
      data: { status: "voided", voidedAt: now },
    });
    if (voided.count === 0) return;
    await recordReturnChange(orders, {
      shop: label.shop,
      returnId: label.returnId,
      status: null,
      kind: "label_voided",
      at: now,
      source: "app",
    });
  });
}
