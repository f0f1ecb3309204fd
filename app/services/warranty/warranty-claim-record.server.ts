import type { Prisma, PrismaClient, WarrantyClaim } from "@prisma/client";
import type { OrderEventKind } from "../../policy";
import { QueueError } from "../returns/queue-errors";
import type { WarrantyClaimView } from "./warranty-types";

type Db = PrismaClient | Prisma.TransactionClient;

/** A claim's step on its order's timeline (ref = the claim's id), recorded once. */
export async function recordClaimEvent(
  db: Db,
  claim: Pick<WarrantyClaim, "id" | "orderId">,
  kind: OrderEventKind & `warranty_${string}`,
  at: Date,
  source: string,
): Promise<void> {
  await db.orderEvent.upsert({
    where: { orderId_kind_ref: { orderId: claim.orderId, kind, ref: claim.id } },
    create: { orderId: claim.orderId, kind, ref: claim.id, occurredAt: at, source },
    update: {},
  });
}

export interface ClaimPhoto {
  fileId: string;
  url: string | null;
  contentType: string;
  bytes: number;
}

export const photosOf = (claim: Pick<WarrantyClaim, "photos">) => (claim.photos as unknown as ClaimPhoto[]) ?? [];

export function claimView(claim: WarrantyClaim): WarrantyClaimView {
  return {
    claimId: claim.id,
    orderId: claim.orderId,
    lineId: claim.orderLineId,
    issue: claim.defect,
    status: claim.status,
    covered: claim.covered,
    rule: claim.rule,
    code: claim.code,
    sentence: claim.sentence,
    coverageEndsAt: claim.coverageEndsAt?.toISOString() ?? null,
    photos: photosOf(claim).length,
    filedAt: claim.filedAt.toISOString(),
    quote:
      claim.quoteCents != null && claim.quoteCurrency
        ? { amount: claim.quoteCents, currency: claim.quoteCurrency }
        : null,
    invoiceSentAt: claim.invoiceSentAt?.toISOString() ?? null,
  };
}

/** The claim if it is one of this shop's; another shop's claim is never revealed. */
export async function shopClaim(db: PrismaClient, shop: string, id: string): Promise<WarrantyClaim> {
  const claim = id ? await db.warrantyClaim.findFirst({ where: { id, shop } }) : null;
  if (!claim)
    throw new QueueError(
      "NOT_FOUND",
      "This warranty claim does not exist in this store. Open it from the Warranty page.",
    );
  return claim;
}

/** Staff act on a claim once: a claim already approved, quoted or declined says so. */
export function requireOpen(claim: WarrantyClaim): void {
  if (claim.status !== "open")
    throw new QueueError("INVALID_STATE", `This claim is already ${STATUS_LABELS[claim.status] ?? claim.status}.`);
}

export const STATUS_LABELS: Record<string, string> = {
  open: "waiting for staff",
  repair_approved: "approved as a covered repair",
  repair_quoted: "quoted as a paid repair (invoice sent)",
  declined: "declined",
};
