import { businessDaysWindowEnd, calendarDaysWindowEnd, isWithin } from "./calendar";
import { compare, type Money } from "./money";
import { cardOnlyDecision, type PaymentFact } from "./payments";
import { allow, deny, type Decision } from "./rules";
import type { PolicySettings } from "./settings";

/** Why the shopper sends an item back; claims have their own windows and no fees. */
export type ReturnReason = "change_of_mind" | "wrong_item" | "damaged" | "inauthentic";
export type ReturnResolution = "refund" | "exchange";

export const CLAIM_REASONS: readonly ReturnReason[] = ["wrong_item", "damaged", "inauthentic"];

export interface ReturnOrderFacts {
  /** Delivered according to the carrier's tracking (never the webhook's arrival). */
  deliveredAt: Date | null;
  customerHasAccount: boolean;
  cancelled: boolean;
  payments: readonly PaymentFact[];
}

export interface ReturnLineFacts {
  lineId: string;
  /** Price paid per unit, after line discounts. */
  unitPrice: Money;
  /** The compare-at price when the order was placed. */
  compareAtPrice: Money | null;
  productTags: readonly string[];
  returnableQuantity: number;
}

export interface ReturnRequestFacts {
  requestedAt: Date;
  reason: ReturnReason;
  resolution: ReturnResolution;
}

export interface LineEligibility {
  lineId: string;
  eligible: boolean;
  /** Every rule that blocks the line, or the one rule that allows it. */
  decisions: Decision[];
  /** When the window for this kind of request closes, if it has one. */
  windowEndsAt: Date | null;
}

/** RET-2: sale items are final: bought below the compare-at price, or tagged final sale. */
export function isFinalSale(
  line: Pick<ReturnLineFacts, "unitPrice" | "compareAtPrice" | "productTags">,
  settings: PolicySettings,
): boolean {
  const { finalSale } = settings.returns;
  const tag = finalSale.tag?.toLowerCase();
  if (tag && line.productTags.some((t) => t.toLowerCase() === tag)) return true;
  return (
    finalSale.compareAtAbovePrice && line.compareAtPrice !== null && compare(line.compareAtPrice, line.unitPrice) > 0
  );
}

function requestWindowEnd(order: ReturnOrderFacts, reason: ReturnReason, settings: PolicySettings): Date | null {
  if (!order.deliveredAt) return null;
  const { calendar, returns } = settings;
  switch (reason) {
    case "wrong_item":
      return businessDaysWindowEnd(order.deliveredAt, returns.wrongItem.reportBusinessDays, calendar);
    case "inauthentic":
      return null;
    default:
      return calendarDaysWindowEnd(order.deliveredAt, returns.windowDays, calendar.timeZone);
  }
}

function allowedBy(reason: ReturnReason, windowDays: number): Decision {
  switch (reason) {
    case "wrong_item":
      return allow(
        "RET-9",
        "WRONG_ITEM_CLAIM",
        "Report the wrong item with your order confirmation and a photo; we answer within a day.",
      );
    case "damaged":
      return allow(
        "RET-10",
        "DAMAGED_CLAIM",
        "We will arrange the return of the damaged item; there is no replacement or exchange.",
      );
    case "inauthentic":
      return allow(
        "RET-11",
        "INAUTHENTIC_CLAIM",
        "An item proven inauthentic is refunded in full on return, with no fees.",
      );
    default:
      return allow("RET-1", "RETURNABLE", `This item can be returned within ${windowDays} days of delivery.`);
  }
}

/** RET-1…4, 9…11: may this line be returned for this reason now? */
export function lineReturnEligibility(
  order: ReturnOrderFacts,
  line: ReturnLineFacts,
  request: ReturnRequestFacts,
  settings: PolicySettings,
): LineEligibility {
  const { returns } = settings;
  const blocks: Decision[] = [];
  const isClaim = CLAIM_REASONS.includes(request.reason);
  const windowEndsAt = requestWindowEnd(order, request.reason, settings);

  if (!returns.enabled && !isClaim)
    blocks.push(deny("RET-1", "RETURNS_DISABLED", "This store does not accept returns."));
  if (request.resolution === "exchange" && !returns.exchanges) {
    blocks.push(deny("RET-4", "NO_EXCHANGES", "Exchanges are not offered; you can return the item for a refund."));
  }
  if (order.cancelled) blocks.push(deny("RET-1", "ORDER_CANCELLED", "This order was cancelled."));
  if (returns.accountRequired && !order.customerHasAccount) {
    blocks.push(
      deny(
        "RET-1",
        "ACCOUNT_REQUIRED",
        "Returns are requested from your customer account; please create one with the order's email.",
      ),
    );
  }
  if (line.returnableQuantity <= 0)
    blocks.push(deny("RET-1", "NOTHING_TO_RETURN", "This item has already been returned."));
  if (!order.deliveredAt) {
    blocks.push(deny("RET-1", "NOT_DELIVERED", "A return can be requested once tracking shows the order delivered."));
  } else if (windowEndsAt && !isWithin(request.requestedAt, windowEndsAt)) {
    blocks.push(
      request.reason === "wrong_item"
        ? deny(
            "RET-9",
            "WRONG_ITEM_WINDOW_CLOSED",
            `A wrong item must be reported within ${returns.wrongItem.reportBusinessDays} business days of delivery.`,
          )
        : deny("RET-1", "WINDOW_CLOSED", `Returns must be requested within ${returns.windowDays} days of delivery.`),
    );
  }
  if (!isClaim) {
    if (!returns.changeOfMind) {
      blocks.push(
        deny("RET-1", "CHANGE_OF_MIND_NOT_ACCEPTED", "Items are returned only when wrong, damaged or not authentic."),
      );
    }
    if (isFinalSale(line, settings))
      blocks.push(deny("RET-2", "FINAL_SALE", "Sale items are final sale and cannot be returned."));
    if (returns.paymentMethods === "card_only") {
      const card = cardOnlyDecision(order.payments);
      if (!card.allowed) blocks.push(card);
    }
  }
  if (request.reason === "inauthentic" && !returns.inauthenticFullRefund) {
    blocks.push(deny("RET-11", "INAUTHENTIC_NOT_OFFERED", "Contact the store about authenticity concerns."));
  }

  return {
    lineId: line.lineId,
    eligible: blocks.length === 0,
    decisions: blocks.length ? blocks : [allowedBy(request.reason, returns.windowDays)],
    windowEndsAt,
  };
}
