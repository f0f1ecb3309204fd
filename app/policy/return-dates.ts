import { DateTime } from "luxon";
import { businessDaysWindowEnd, calendarDaysWindowEnd, hoursWindowEnd, localDateOf } from "./calendar";
import { compare, formatMoney } from "./money";
import { CLAIM_REASONS, type ReturnReason } from "./returns";
import { allow, type Decision } from "./rules";
import type { PolicySettings } from "./settings";
import type { OrderShippingFacts } from "./shipping";

/**
 * What a shopper is told around a return request: the dates that follow it (RET-6,
 * RET-9, RET-12), why a return carries no label fee (RET-7), and the rules'
 * sentences made concrete with the order's own dates.
 */

/** RET-7 (SHP-1 after checkout): the order's shipping was free; an order with no shipping line by what it paid. */
export function orderReceivedFreeShipping(shipping: OrderShippingFacts | null, shippingChargedMinor: number): boolean {
  if (shipping?.shippingCost) return shipping.shippingCost.charged.amount === 0;
  return shippingChargedMinor === 0;
}

export interface ReturnFeeContext {
  reason: ReturnReason;
  orderReceivedFreeShipping: boolean;
  /** Unit prices of the lines returned (the "item" fee basis). */
  unitPrices: readonly { amount: number; currency: string }[];
}

/** RET-7: why a return has no label fee; null when it has one. */
export function noLabelFeeReason(context: ReturnFeeContext, settings: PolicySettings): Decision | null {
  const { returns, shipping } = settings;
  if (CLAIM_REASONS.includes(context.reason))
    return allow("RET-7", "NO_FEE_CLAIM", "A wrong, damaged or inauthentic item is returned with no label fee.");
  if (!returns.prepaidLabel)
    return allow("RET-7", "NO_FEE_OWN_SHIPPING", "You ship the item at your own cost, so there is no label fee.");
  if (returns.labelFee.amount === 0) return allow("RET-7", "NO_FEE", "Return labels are free.");
  if (returns.feeBasis === "order" && context.orderReceivedFreeShipping)
    return allow("RET-7", "NO_FEE_FREE_SHIPPING", "Your order shipped free, so the return label is free too.");
  const threshold = shipping.freeShippingThreshold;
  if (
    returns.feeBasis === "item" &&
    threshold &&
    context.unitPrices.length > 0 &&
    context.unitPrices.every((price) => compare(price, threshold) >= 0)
  )
    return allow(
      "RET-7",
      "NO_FEE_ITEM_PRICE",
      `Items of ${formatMoney(threshold)} or more are returned with a free label.`,
    );
  return null;
}

export interface FollowingDates {
  /** RET-6: a label issued at `at` voids then. */
  labelVoidsAt: Date;
  /** RET-12: the package must reach the store by then; null without a delivery or an arrival rule. */
  arrivalBy: Date | null;
  /** RET-9: a wrong-item claim made at `at` is answered by then. */
  claimAnswerBy: Date;
}

/** The dates that follow a request made at `at`. */
export function followingDates(at: Date, deliveredAt: Date | null, settings: PolicySettings): FollowingDates {
  const { returns, calendar } = settings;
  return {
    labelVoidsAt: businessDaysWindowEnd(at, returns.labelVoidBusinessDays, calendar),
    arrivalBy:
      deliveredAt && returns.packageArrivalDays !== null
        ? calendarDaysWindowEnd(deliveredAt, returns.packageArrivalDays, calendar.timeZone)
        : null,
    claimAnswerBy: hoursWindowEnd(at, returns.wrongItem.answerHours),
  };
}

/** "Dec 9" in the store's zone ("Dec 9, 2027" in another year than `now`). */
export function shortDate(at: Date, now: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const sameYear = local.year === DateTime.fromJSDate(now, { zone: timeZone }).year;
  return local.toFormat(sameYear ? "LLL d" : "LLL d, yyyy");
}

/** Calendar days from the delivery day to today, in the store's zone. */
function daysSince(from: Date, now: Date, timeZone: string): number {
  const a = DateTime.fromISO(localDateOf(from, timeZone));
  const b = DateTime.fromISO(localDateOf(now, timeZone));
  return Math.round(b.diff(a, "days").days);
}

/**
 * A decision as the shopper reads it, with its rule id: window refusals name the
 * delivery and the day the window closed ("Delivered 16 days ago: the 14-day window
 * closed on Dec 9 (RET-1)."); every other sentence is the rule's own.
 */
export function shopperSentence(
  decision: Decision,
  context: { deliveredAt: Date | null; windowEndsAt: Date | null; now: Date },
  settings: PolicySettings,
): string {
  const zone = settings.calendar.timeZone;
  const { deliveredAt, windowEndsAt, now } = context;
  let text = decision.message.replace(/\.$/, "");
  if (deliveredAt && windowEndsAt && !decision.allowed) {
    const days = daysSince(deliveredAt, now, zone);
    const closed = shortDate(windowEndsAt, now, zone);
    if (decision.code === "WINDOW_CLOSED")
      text = `Delivered ${days} days ago: the ${settings.returns.windowDays}-day window closed on ${closed}`;
    if (decision.code === "WRONG_ITEM_WINDOW_CLOSED")
      text = `Delivered ${days} days ago: a wrong item must be reported within ${settings.returns.wrongItem.reportBusinessDays} business days; that window closed on ${closed}`;
  }
  if (decision.code === "FINAL_SALE") text = "Final sale: sale items cannot be returned";
  return `${text} (${decision.rule}).`;
}
