import { isWithin, monthsWindowEnd } from "./calendar";
import type { Money } from "./money";
import { allow, deny, type Decision } from "./rules";
import type { PolicySettings } from "./settings";

export type WarrantyIssue = "manufacturing_defect" | "wear_and_tear" | "misuse" | "tarnishing" | "lost_gemstone";

export interface WarrantyClaimFacts {
  purchasedAt: Date;
  claimedAt: Date;
  productTags: readonly string[];
  unitPrice: Money;
  compareAtPrice: Money | null;
  issue: WarrantyIssue;
}

export interface WarrantyDecision {
  covered: boolean;
  decision: Decision;
  coverageEndsAt: Date | null;
  /** WAR-5: what is offered when the warranty does not cover it. */
  remedy: Decision | null;
}

const PAID_REPAIR = deny("WAR-5", "PAID_REPAIR", "We can repair it for a charge, quoted after we examine the piece.");

/** WAR-3: the discount from the compare-at price, compared in whole numbers (no floats). */
export function discountAtLeast(unitPrice: Money, compareAtPrice: Money | null, percent: number): boolean {
  if (!compareAtPrice || compareAtPrice.amount <= 0) return false;
  return (compareAtPrice.amount - unitPrice.amount) * 100 >= percent * compareAtPrice.amount;
}

/** A tag as WAR-2 compares it: "18K Gold", "18k-gold" and "18k_gold" are the same tag. */
const tagKey = (tag: string) =>
  tag
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "-");

/** WAR-1…5. */
export function warrantyDecision(claim: WarrantyClaimFacts, settings: PolicySettings): WarrantyDecision {
  const warranty = settings.warranty;
  if (!warranty.enabled) {
    return {
      covered: false,
      decision: deny("WAR-1", "NO_WARRANTY", "This store offers no warranty."),
      coverageEndsAt: null,
      remedy: null,
    };
  }
  const tags = claim.productTags.map(tagKey);
  const extended = warranty.extendedTags.some((tag) => tags.includes(tagKey(tag)));
  const rule = extended ? "WAR-2" : "WAR-1";
  const monthsCovered = extended ? warranty.extendedMonths : warranty.standardMonths;
  const coverageEndsAt = monthsWindowEnd(claim.purchasedAt, monthsCovered, settings.calendar.timeZone);
  const notCovered = (decision: Decision): WarrantyDecision => ({
    covered: false,
    decision,
    coverageEndsAt,
    remedy: PAID_REPAIR,
  });

  if (discountAtLeast(claim.unitPrice, claim.compareAtPrice, warranty.finalSaleDiscountPercent)) {
    return notCovered(
      deny(
        "WAR-3",
        "FINAL_SALE",
        `Final-sale pieces (${warranty.finalSaleDiscountPercent}% off or more) are not covered.`,
      ),
    );
  }
  if (claim.issue !== "manufacturing_defect") {
    return notCovered(
      deny(
        "WAR-4",
        "NOT_A_DEFECT",
        "The warranty covers manufacturing defects only, not wear and tear, misuse, tarnishing or lost gemstones.",
      ),
    );
  }
  if (!isWithin(claim.claimedAt, coverageEndsAt)) {
    return notCovered(deny(rule, "WARRANTY_EXPIRED", `The ${monthsCovered}-month warranty has ended.`));
  }
  return {
    covered: true,
    decision: allow(rule, "COVERED", `Covered by the ${monthsCovered}-month warranty.`),
    coverageEndsAt,
    remedy: null,
  };
}

/** What a shopper can say is wrong, in the order the portal lists them (WAR-4 names the ones not covered). */
export const WARRANTY_ISSUES: ReadonlyArray<{ issue: WarrantyIssue; label: string }> = [
  { issue: "manufacturing_defect", label: "A defect: a clasp, hinge, setting or join that failed in normal use" },
  { issue: "wear_and_tear", label: "Worn with use: prongs, chain or plating worn down" },
  { issue: "misuse", label: "Damaged by an accident, chemicals or water" },
  { issue: "tarnishing", label: "Tarnished or discoloured" },
  { issue: "lost_gemstone", label: "A gemstone came out and is lost" },
];

export const isWarrantyIssue = (value: unknown): value is WarrantyIssue =>
  WARRANTY_ISSUES.some((i) => i.issue === value);
