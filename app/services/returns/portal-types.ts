/**
 * What the return portal's use cases take and answer. Both surfaces (customer
 * account extensions, the app-proxy page) and the merchant's queue read these
 * shapes; instants are Dates here and ISO strings once a route serializes them.
 *
 *   returnOptions(shop, customerId, orderId, now): Promise<ReturnOptions>
 *   requestReturn(shop, customerId, input: ReturnRequestInput, now): Promise<RequestedReturn>
 *   cancelOrder(shop, customerId, orderId, now): Promise<CancelledOrder>
 *   returnStatus(shop, customerId, orderId, now): Promise<ReturnStatusView[]>
 *   customerOrders(shop, customerId, now): Promise<CustomerOrderSummary[]>
 *
 * Each throws PortalError (portal-errors.ts). Customer ids are Shopify gids.
 */
import type { Fee, LocalDate, Money, ReturnReason, RuleId } from "../../policy";

export type { ReturnReason };

export const RETURN_REASONS: readonly ReturnReason[] = ["change_of_mind", "wrong_item", "damaged", "inauthentic"];

/** One rule's verdict, as app/policy decides it: `{ allowed, rule, code, message }`. */
export interface Verdict {
  allowed: boolean;
  rule: RuleId;
  code: string;
  /** A sentence the shopper can read, with the rule id at its end: "Final sale (RET-2)". */
  message: string;
}

/** Whether a line can be sent back for one reason, and why (the first blocking rule, or the rule allowing it). */
export interface ReasonVerdict extends Verdict {
  reason: ReturnReason;
  /** Every rule that blocks it (empty when allowed). */
  blockedBy: Verdict[];
  /** When requesting for this reason closes (RET-1 window, RET-9 business days); null: no window. */
  windowEndsAt: Date | null;
  /** Claims (wrong item, damaged) need at least one photo. */
  photoRequired: boolean;
}

export interface LineOptions {
  /** The order's LineItem gid: what ReturnRequestInput.lines[].lineId names. */
  lineId: string;
  title: string;
  /** Units bought. */
  quantity: number;
  /** Units that can still be returned (fulfilled, not in another active return). */
  returnableQuantity: number;
  /** Paid per unit after discounts, and the tax on one unit. */
  unitPrice: Money;
  unitTax: Money;
  /** One verdict per reason, in RETURN_REASONS order. */
  reasons: ReasonVerdict[];
  /** True when at least one reason is allowed. */
  returnable: boolean;
}

/** quoteRefund's answer for a return of every returnable line for one reason. */
export interface RefundPreview {
  reason: ReturnReason;
  merchandise: Money;
  tax: Money;
  /** The RET-7 label fee (at most one) and any other deduction, each named. */
  fees: Fee[];
  /** Why there is no label fee, when there is none: "Free shipping order: no return label fee (RET-7)". */
  noFeeReason: Verdict | null;
  /** RET-7: shipping is never refunded; always zero, with the sentence that says so. */
  shippingRefunded: Money;
  shippingNote: string;
  total: Money;
  /** RET-8: where the money goes and how long it takes to show. */
  refundNote: string;
}

/** The dates that follow a request (shown before the shopper confirms). */
export interface ReturnDates {
  /** RET-6: a label issued now voids at this moment (N business days). */
  labelVoidsAtIfIssuedNow: Date;
  labelVoidBusinessDays: number;
  /** RET-12: the package must reach the store by this moment; null when the policy has no arrival deadline or the order is not delivered. */
  arrivalBy: Date | null;
  /** RET-9: the merchant answers a wrong-item claim made now by this moment. */
  claimAnswerByIfReportedNow: Date;
  /** Sentences naming the rules, in the order things happen. */
  notes: string[];
}

/** CAN-1…3: can the shopper still cancel, and until when. */
export interface CancellationOption extends Verdict {
  /** The end of the cancellation window (order confirmation + N hours). */
  until: Date;
  /** CAN-3: the business day an accepted request made now is processed on. */
  processOn: LocalDate | null;
}

export interface ReturnOptions {
  orderId: string;
  orderName: string;
  currency: string;
  placedAt: Date;
  /** Delivered according to tracking; null while not delivered. */
  deliveredAt: Date | null;
  lines: LineOptions[];
  /** RET-1: the change-of-mind window's end; null while not delivered. */
  windowEndsAt: Date | null;
  /** RET-9: the wrong-item report window's end; null while not delivered. */
  claimWindowEndsAt: Date | null;
  /** One preview per reason that at least one line allows. */
  refundPreviews: RefundPreview[];
  dates: ReturnDates;
  cancellation: CancellationOption;
  /** For the order action menu: what to offer. */
  actions: { requestReturn: boolean; reportProblem: boolean; cancel: boolean };
  /** Returns already requested on this order. */
  returns: ReturnStatusView[];
}

export interface ReturnPhotoUpload {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

export interface ReturnRequestInput {
  orderId: string;
  /** Chosen by the client once per intended return; a retry or double-click sends the same key. */
  requestKey: string;
  reason: ReturnReason;
  note?: string;
  lines: Array<{ lineId: string; quantity: number }>;
  photos: ReturnPhotoUpload[];
}

export interface RequestedReturn {
  /** Shopify's Return gid. */
  returnId: string;
  name: string | null;
  status: ReturnStatus;
  reason: ReturnReason;
  /** RET-7's fee as set on Shopify's return (returnShippingFee), decided now. */
  fee: Money;
  refundPreview: RefundPreview;
  /** RET-9: the merchant's answer is due by (wrong-item claims only). */
  answerBy: Date | null;
  /** RET-12: the package must arrive by. */
  arrivalBy: Date | null;
  /** Claim photos stored as Shopify files. */
  photos: Array<{ fileId: string; url: string | null }>;
  /** What happens next, and by when. */
  nextSteps: string[];
  /** True when this answers a repeated submission of the same requestKey. */
  repeated: boolean;
}

export interface CancelledOrder {
  orderId: string;
  orderName: string;
  /** When Shopify recorded the cancellation, or when the request was accepted (processed later, CAN-3). */
  requestedAt: Date;
  /** Shopify's cancellation job (orderCancel is asynchronous in 2026-10). */
  jobId: string | null;
  /** CAN-3: the business day it is processed on. */
  processOn: LocalDate | null;
  rule: RuleId;
  message: string;
  repeated: boolean;
}

/** The app's return states (Return.status). */
export type ReturnStatus =
  | "requested"
  | "approved"
  | "in_transit"
  | "received"
  | "inspected"
  | "refunded"
  | "closed"
  | "declined"
  | "cancelled"
  | "label_voided"
  | "rejected"
  | "lost";

export interface ReturnStatusView {
  returnId: string;
  name: string | null;
  status: ReturnStatus;
  reason: ReturnReason;
  requestedAt: Date;
  lines: Array<{ lineId: string; title: string; quantity: number }>;
  fee: Money;
  /** The merchant's decline, with the note the shopper sees. */
  decline: { reason: string | null; note: string | null } | null;
  /** RET-9: the merchant's answer to a wrong-item claim and when it is due. */
  answerBy: Date | null;
  answer: string | null;
  /** The newest label: download link and when it voids (RET-6). */
  label: {
    url: string | null;
    trackingNumber: string | null;
    carrier: string;
    status: string;
    issuedAt: Date;
    voidsAt: Date;
  } | null;
  /** RET-12. */
  arrivalBy: Date | null;
  /** RET-8: amount and when it shows on the statement. */
  refund: { amount: Money; refundedAt: Date; visibleFrom: Date; visibleBy: Date } | null;
  /** One sentence for the state, naming what happens next. */
  message: string;
}

export interface CustomerOrderSummary {
  orderId: string;
  name: string;
  placedAt: Date;
  total: Money;
  /** The timeline's state (TML-8): placed, shipped, delivered, return_requested, cancelled… */
  state: string | null;
  deliveredAt: Date | null;
  canReturn: boolean;
  canCancel: boolean;
  openReturns: number;
}
