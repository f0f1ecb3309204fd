import { Prisma, type WarrantyClaim } from "@prisma/client";
import { isWarrantyIssue, warrantyDecision, type WarrantyDecision, type WarrantyIssue } from "../../policy";
import { checkPhotos, uploadClaimPhotos } from "../returns/claim-photos.server";
import { PortalError, withRule } from "../returns/portal-errors";
import type { ReturnPhotoUpload } from "../returns/portal-types";
import { loadReturnFacts, portalDb, portalGateway, unavailable, type PortalDeps } from "../returns/return-facts.server";
import { ActionInProgressError, onceOnly } from "../returns/shopify-action.server";
import { claimView, recordClaimEvent } from "./warranty-claim-record.server";
import type { FiledWarrantyClaim } from "./warranty-types";

export interface WarrantyClaimInput {
  orderId: string;
  /** The form's idempotency key: the same key files one claim. */
  claimKey: string;
  lineId: string;
  issue: WarrantyIssue | string;
  note?: string;
  photos: ReturnPhotoUpload[];
}

const NOTE_MAX = 1000;

/** The claim's status as the rule leaves it: staff confirm every claim after examining the piece. */
export const OPEN = "open";

/** The sentence the shopper reads at once: the rule's decision with its id, and the paid repair when not covered. */
export function decisionSentence(decided: WarrantyDecision): string {
  const said = withRule(decided.decision.message, decided.decision.rule);
  if (decided.covered) return `${said} Send us the piece and we will repair it free of charge.`;
  return decided.remedy ? `${said} ${withRule(decided.remedy.message, decided.remedy.rule)}` : said;
}

function checkInput(input: WarrantyClaimInput): void {
  if (!input.claimKey || input.claimKey.length > 100)
    throw new PortalError("BAD_REQUEST", "The claim is missing its key; reload the page and try again.", "claimKey");
  if (!input.lineId) throw new PortalError("BAD_REQUEST", "Choose the item that needs repair.", "lineId");
  if (!isWarrantyIssue(input.issue))
    throw new PortalError("BAD_REQUEST", "Choose what is wrong with the piece.", "issue", "WAR-4");
  if ((input.note ?? "").length > NOTE_MAX)
    throw new PortalError("BAD_REQUEST", `Keep the note under ${NOTE_MAX} characters.`, "note");
  checkPhotos(input.photos ?? []);
  if (!input.photos?.length)
    throw new PortalError(
      "PHOTO_REQUIRED",
      "Add at least one photo of what is wrong, so the store can see it.",
      "photos",
    );
}

const isDuplicate = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * WAR-1…5 from the portal: a shopper's claim on one item of their own delivered order, decided
 * at once by `warrantyDecision` and kept open for staff to confirm. Photos become Shopify files
 * (once per key), the claim and its two timeline steps (filed, decided) are written together.
 */
export async function fileWarrantyClaim(
  shop: string,
  customerId: string,
  input: WarrantyClaimInput,
  now: Date,
  deps: PortalDeps = {},
): Promise<FiledWarrantyClaim> {
  const db = portalDb(deps);
  const facts = await loadReturnFacts(shop, customerId, input.orderId, deps);
  if (!facts.settings.warranty.enabled)
    throw new PortalError("NOT_RETURNABLE", "This store does not take warranty claims online.", undefined, "WAR-1");
  checkInput(input);
  const known = await db.warrantyClaim.findUnique({ where: { shop_claimKey: { shop, claimKey: input.claimKey } } });
  if (known) return sameClaim(known, input);

  const line = facts.lines.find((l) => l.lineId === input.lineId);
  if (!line) throw new PortalError("BAD_REQUEST", "That item is not on this order; choose one of its items.", "lineId");
  if (!facts.deliveredAt)
    throw new PortalError(
      "NOT_RETURNABLE",
      "A warranty claim can be filed once the order has been delivered.",
      undefined,
      "WAR-1",
    );
  const open = await db.warrantyClaim.findFirst({ where: { shop, orderLineId: line.lineId, status: OPEN } });
  if (open)
    throw new PortalError(
      "NOT_RETURNABLE",
      `${line.title} already has a claim the store is looking at; you will hear from them about it.`,
      "lineId",
    );

  const decided = warrantyDecision(
    {
      purchasedAt: facts.order.processedAt,
      claimedAt: now,
      productTags: line.productTags,
      unitPrice: line.unitPrice,
      compareAtPrice: line.compareAtPrice,
      issue: input.issue as WarrantyIssue,
    },
    facts.settings,
  );

  let photos;
  try {
    photos = await onceOnly(
      shop,
      `warranty-photos:${facts.order.id}:${input.claimKey}`,
      async () =>
        uploadClaimPhotos(await portalGateway(shop, deps), input.photos, `Warranty claim photo, ${facts.order.name}`),
      { db, now },
    );
  } catch (error) {
    if (error instanceof ActionInProgressError)
      throw new PortalError("IN_PROGRESS", "Your claim is being sent; wait a moment before trying again.");
    throw unavailable(error);
  }

  const sentence = decisionSentence(decided);
  try {
    const claim = await db.$transaction(async (tx) => {
      const created = await tx.warrantyClaim.create({
        data: {
          shop,
          orderId: facts.order.id,
          orderLineId: line.lineId,
          customerId,
          claimKey: input.claimKey,
          defect: input.issue,
          note: (input.note ?? "").trim(),
          status: OPEN,
          covered: decided.covered,
          rule: decided.decision.rule,
          code: decided.decision.code,
          sentence,
          coverageEndsAt: decided.coverageEndsAt,
          photos: photos as unknown as Prisma.InputJsonValue,
          filedAt: now,
        },
      });
      await recordClaimEvent(tx, created, "warranty_claim_filed", now, "portal");
      await recordClaimEvent(tx, created, "warranty_decided", now, decided.decision.rule);
      return created;
    });
    return { ...claimView(claim), repeated: false };
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    // The same key won a race with this submit: answer with its claim.
    const raced = await db.warrantyClaim.findUniqueOrThrow({
      where: { shop_claimKey: { shop, claimKey: input.claimKey } },
    });
    return sameClaim(raced, input);
  }
}

function sameClaim(claim: WarrantyClaim, input: WarrantyClaimInput): FiledWarrantyClaim {
  if (claim.orderId !== input.orderId || claim.orderLineId !== input.lineId)
    throw new PortalError("BAD_REQUEST", "This form was already used for another claim; reload the page.", "claimKey");
  return { ...claimView(claim), repeated: true };
}
