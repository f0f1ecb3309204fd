import { businessDaysWindowEnd, startOfLocalDay, addBusinessDays, localDateOf } from "./calendar";
import { compare, formatMoney, max, multiply, subtract, sum, zero, type Money } from "./money";
import { CLAIM_REASONS, type ReturnReason } from "./returns";
import { allow, deny, type Decision, type RuleId } from "./rules";
import type { PolicySettings } from "./settings";

export interface RefundLine {
  lineId: string;
  quantity: number;
  /** Price paid per unit, after discounts. */
  unitPrice: Money;
  /** Tax charged on the returned units. */
  tax: Money;
}

export interface RefundQuoteInput {
  reason: ReturnReason;
  lines: readonly RefundLine[];
  /** The order got free shipping (SHP-1) when it was placed. */
  orderReceivedFreeShipping: boolean;
  /** Prepaid labels used for this return. */
  labelsUsed: number;
  /** The customer shipped at their own cost instead of using a label. */
  shippedByCustomer: boolean;
  received: boolean;
  lostInTransit: boolean;
  inspection: "pending" | "passed" | "failed";
}

export interface Fee {
  rule: RuleId;
  label: string;
  amount: Money;
}

export interface RefundQuote {
  decision: Decision;
  merchandise: Money;
  tax: Money;
  fees: Fee[];
  /** RET-7: original shipping charges are never refunded. */
  shippingRefunded: Money;
  total: Money;
}

/** RET-7 and RET-11: which label fees apply to this return. */
function labelFees(input: RefundQuoteInput, settings: PolicySettings): Fee[] {
  const { returns, shipping } = settings;
  if (CLAIM_REASONS.includes(input.reason)) return [];
  if (input.shippedByCustomer || input.labelsUsed === 0) return [];
  if (returns.feeBasis === "order" && input.orderReceivedFreeShipping) return [];
  const threshold = shipping.freeShippingThreshold;
  if (
    returns.feeBasis === "item" &&
    threshold &&
    input.lines.every((line) => compare(line.unitPrice, threshold) >= 0)
  ) {
    return [];
  }
  if (returns.labelFee.amount === 0) return [];
  const label = `Return label fee (${input.labelsUsed} × ${formatMoney(returns.labelFee)})`;
  return [{ rule: "RET-7", label, amount: multiply(returns.labelFee, input.labelsUsed) }];
}

function refundDecision(input: RefundQuoteInput): Decision {
  if (!input.received) {
    return input.lostInTransit
      ? deny(
          "RET-13",
          "LOST_IN_TRANSIT",
          "The store is not responsible for a return lost before it is received and inspected.",
        )
      : deny("RET-8", "AWAITING_RECEIPT", "The refund is issued once the item is received and inspected.");
  }
  if (input.inspection === "pending")
    return deny("RET-8", "AWAITING_INSPECTION", "The item has arrived and is being inspected.");
  if (input.inspection === "failed" && input.reason !== "inauthentic") {
    return deny(
      "RET-5",
      "INSPECTION_FAILED",
      "The item did not pass inspection (condition as described, original packaging, tags attached).",
    );
  }
  if (input.reason === "inauthentic")
    return allow("RET-11", "FULL_REFUND", "Proven inauthentic: full refund, no fees.");
  return allow("RET-8", "REFUND_DUE", "Refund to the original form of payment, less any fees.");
}

/** RET-5, 7, 8, 11, 13: what the refund will be, and whether it may be issued now. */
export function quoteRefund(input: RefundQuoteInput, settings: PolicySettings): RefundQuote {
  const currency = settings.currency;
  const merchandise = sum(
    input.lines.map((line) => multiply(line.unitPrice, line.quantity)),
    currency,
  );
  const tax = sum(
    input.lines.map((line) => line.tax),
    currency,
  );
  const fees = labelFees(input, settings);
  const gross = sum([merchandise, tax], currency);
  const total = max(
    subtract(
      gross,
      sum(
        fees.map((fee) => fee.amount),
        currency,
      ),
    ),
    zero(currency),
  );
  return { decision: refundDecision(input), merchandise, tax, fees, shippingRefunded: zero(currency), total };
}

/** RET-8: when a refund issued at `refundedAt` shows on the statement (from … by). */
export function refundVisibleWindow(refundedAt: Date, settings: PolicySettings): { from: Date; by: Date } {
  const { calendar, returns } = settings;
  const day = localDateOf(refundedAt, calendar.timeZone);
  return {
    from: startOfLocalDay(addBusinessDays(day, returns.refundBusinessDays.min, calendar.holidays), calendar.timeZone),
    by: businessDaysWindowEnd(refundedAt, returns.refundBusinessDays.max, calendar),
  };
}
