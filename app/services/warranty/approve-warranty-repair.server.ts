import type { QueueContext } from "../returns/queue-steps.server";
import { QueueError } from "../returns/queue-errors";
import { recordClaimEvent, requireOpen, shopClaim } from "./warranty-claim-record.server";

/** Staff confirm a covered repair (WAR-1/2): free of charge, so nothing changes in Shopify. */
export async function approveWarrantyRepair(ctx: QueueContext, id: string, note = "", by: string | null = null) {
  const shop = ctx.gateway.shop;
  const claim = await shopClaim(ctx.db, shop, id);
  requireOpen(claim);
  if (!claim.covered)
    throw new QueueError(
      "NOT_ALLOWED",
      `The warranty does not cover this claim (${claim.rule}): quote a paid repair or decline it.`,
      "WAR-5",
    );
  return ctx.db.$transaction(async (tx) => {
    // Only an open claim moves: of two clicks, one approves.
    const moved = await tx.warrantyClaim.updateMany({
      where: { id, shop, status: "open" },
      data: { status: "repair_approved", decidedAt: ctx.now, decidedBy: by, staffNote: note.trim() || null },
    });
    if (!moved.count) throw new QueueError("INVALID_STATE", "This claim was just handled by someone else.");
    await recordClaimEvent(tx, claim, "warranty_repair_approved", ctx.now, "staff");
    return { id, status: "repair_approved" as const };
  });
}
