import type { WarrantyIssue } from "../../policy/warranty";

/** What the shopper reads about a claim: the rule's decision and what happens next. */
export interface WarrantyClaimView {
  claimId: string;
  orderId: string;
  lineId: string;
  issue: string;
  status: string;
  covered: boolean;
  rule: string;
  code: string;
  sentence: string;
  coverageEndsAt: string | null;
  photos: number;
  filedAt: string;
  quote: { amount: number; currency: string } | null;
  invoiceSentAt: string | null;
}

export interface FiledWarrantyClaim extends WarrantyClaimView {
  /** True when this key had already filed the claim (a double submit). */
  repeated: boolean;
}

export interface WarrantyOptions {
  orderId: string;
  orderName: string;
  /** False when the store offers no warranty: the portal shows no claim action. */
  enabled: boolean;
  /** Claims can be filed once the order is delivered. */
  delivered: boolean;
  issues: ReadonlyArray<{ issue: WarrantyIssue; label: string }>;
  /** Each item, and whether a claim on it is open (one at a time per item). */
  lines: Array<{ lineId: string; title: string; openClaim: boolean }>;
  claims: WarrantyClaimView[];
}
