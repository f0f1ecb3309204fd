import { allow, deny, type Decision } from "./rules";

/**
 * TML-6: a payment-on-delivery parcel still unpaid when its deadline (N calendar days after the
 * ship date, `payment_on_delivery_by`) has passed comes back and the order is cancelled: no refund,
 * since nothing was paid; the units go back in stock once the parcel is back.
 */
export interface UnpaidOnDeliveryFacts {
  awaitingPaymentOnDelivery: boolean;
  cancelledAt: Date | null;
  /** The stored `payment_on_delivery_by` deadline; null when the order has none (not shipped, not COD). */
  dueAt: Date | null;
}

export interface UnpaidCancelDecision extends Decision {
  dueAt: Date | null;
}

/** Whether the order may be cancelled for non-payment now: only after the deadline, never once paid. */
export function unpaidOnDeliveryCancel(facts: UnpaidOnDeliveryFacts, now: Date): UnpaidCancelDecision {
  const { dueAt } = facts;
  if (facts.cancelledAt) return { ...deny("TML-6", "ALREADY_CANCELLED", "This order is already cancelled."), dueAt };
  if (!facts.awaitingPaymentOnDelivery || !dueAt) {
    return {
      ...deny(
        "TML-6",
        "NOT_AWAITING_PAYMENT",
        "This order is not waiting for a payment on delivery: it is not cancelled.",
      ),
      dueAt,
    };
  }
  if (now.getTime() <= dueAt.getTime()) {
    return {
      ...deny(
        "TML-6",
        "NOT_DUE",
        `The payment on delivery is due until ${dueAt.toISOString()}; the order can be cancelled for non-payment only after that.`,
      ),
      dueAt,
    };
  }
  return {
    ...allow(
      "TML-6",
      "CANCEL_UNPAID",
      "Unpaid after the payment-on-delivery deadline: the parcel is returned and the order cancelled, with no refund since nothing was paid.",
    ),
    dueAt,
  };
}

/** Who cancelled it, as the order's timeline and Shopify's staff note say. */
export function unpaidCancelNote(by: "staff" | "auto"): string {
  return by === "staff"
    ? "TML-6: cancelled by staff, payment on delivery unpaid after its deadline (parcel returned)."
    : "TML-6: cancelled automatically, payment on delivery unpaid after its deadline (parcel returned).";
}
