import type { QueueContext } from "../returns/queue-steps.server";
import { QueueError } from "../returns/queue-errors";
import { recordClaimEvent, requireOpen, shopClaim } from "./warranty-claim-record.server";

/** Staff decline a claim after examination (e.g. the piece cannot be repaired), with the reason the shopper is told. */
export async function declineWarrantyClaim(ctx: QueueContext, id: string, note: string, by: string | null = null) {
  const shop = ctx.gateway.shop;
  const claim = await shopClaim(ctx.db, shop, id);
  requireOpen(claim);
  const reason = note.trim();
  if (!reason) throw new QueueError("BAD_REQUEST", "Say why the claim is declined; the shopper reads it.");
  if (reason.length > 1000) throw new QueueError("BAD_REQUEST", "Keep the reason under 1000 characters.");
  return ctx.db.$transaction(async (tx) => {
    const moved = await tx.warrantyClaim.updateMany({
      where: { id, shop, status: "open" },
      data: { status: "declined", decidedAt: ctx.now, decidedBy: by, staffNote: reason },
    });
    if (!moved.count) throw new QueueError("INVALID_STATE", "This claim was just handled by someone else.");
    await recordClaimEvent(tx, claim, "warranty_claim_declined", ctx.now, "staff");
    return { id, status: "declined" as const, note: reason };
  });
}
