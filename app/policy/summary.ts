import { formatMoney } from "./money";
import type { RuleId } from "./rules";
import type { PolicySettings } from "./settings";

export interface RuleSummary {
  rule: RuleId;
  summary: string;
}

const range = (r: { min: number; max: number }) => (r.min === r.max ? `${r.max}` : `${r.min}–${r.max}`);

/** Every rule id with what it means under these settings, for the admin UI. */
export function policySummary(s: PolicySettings): RuleSummary[] {
  const { shipping, timeline, returns, warranty, inventory, calendar } = s;
  const threshold = shipping.freeShippingThreshold;
  const scope =
    inventory.oneOfAKind.scope === "all" ? "every product" : `products tagged "${inventory.oneOfAKind.tag}"`;
  const r = (rule: RuleId, summary: string): RuleSummary => ({ rule, summary });
  return [
    r("INV-1", `At most ${inventory.maxUnitsPerVariant} unit of a variant per order, for ${scope}.`),
    r("INV-2", "One-of-a-kind variants are tracked, never oversold, with at most one available."),
    r("INV-3", "No reservations: the first completed checkout wins; oversells are flagged."),
    r("INV-4", "Each item's condition rank is shown at checkout."),
    r("PRC-1", "No negotiation and no multi-item discounts."),
    r("SHP-1", threshold ? `Free shipping at or above ${formatMoney(threshold)}.` : "No free shipping."),
    r(
      "SHP-2",
      shipping.flatRate ? `Flat rate ${formatMoney(shipping.flatRate)} below the threshold.` : "No flat rate.",
    ),
    r(
      "SHP-3",
      shipping.allowedCountries ? `Ships to ${shipping.allowedCountries.join(", ")} only.` : "Ships worldwide.",
    ),
    r(
      "SHP-4",
      `Carrier chosen by the store (${shipping.carriers.join(", ")})${shipping.signatureRequired ? "; signature required" : ""}.`,
    ),
    r("SHP-5", `Ship-to may differ from residence; one package${shipping.giftWrap ? "" : "; no gift wrap"}.`),
    r(
      "TML-1",
      `Orders after ${calendar.cutoff} (${calendar.timeZone}), on weekends or holidays start processing the next business day.`,
    ),
    r("TML-2", `Ships within ${range(timeline.processingBusinessDays)} business days of processing start.`),
    r("TML-3", `Arrives ${range(timeline.deliveryBusinessDays)} business days after shipping.`),
    r(
      "TML-4",
      `Customer may report not received after ${timeline.notReceivedBusinessDays} business days from shipping.`,
    ),
    r("TML-5", `Carrier claims within ${timeline.carrierClaimBusinessDays} business days of shipping.`),
    r(
      "TML-6",
      `Unpaid payment-on-delivery orders return and cancel ${timeline.paymentOnDeliveryDays} days after shipping.`,
    ),
    r("TML-7", `Receipt available ${timeline.receiptDays} days after shipping.`),
    r("TML-8", "Every order event recorded once, in order of occurrence."),
    r("CAN-1", `Cancellation within ${s.cancellation.windowHours} hours of the order confirmation.`),
    r("CAN-2", "No cancellation once any item has shipped."),
    r("CAN-3", "In-window requests on weekends or holidays are processed the next business day."),
    r("CAN-4", "A payment-method change means cancel and re-order."),
    r(
      "RET-1",
      returns.enabled
        ? `Returns requested online within ${returns.windowDays} days of delivery${returns.accountRequired ? " (account required)" : ""}.`
        : "No returns.",
    ),
    r("RET-2", "Final-sale items cannot be returned."),
    r(
      "RET-3",
      returns.paymentMethods === "card_only"
        ? "Returns only for orders paid entirely by card."
        : "Returns for any payment method.",
    ),
    r("RET-4", returns.exchanges ? "Exchanges offered." : "No exchanges."),
    r("RET-5", "Returns must be as described, in original packaging, with tags."),
    r(
      "RET-6",
      returns.prepaidLabel
        ? `Prepaid label voids after ${returns.labelVoidBusinessDays} business days.`
        : "No prepaid label.",
    ),
    r(
      "RET-7",
      `Shipping never refunded; ${formatMoney(returns.labelFee)} per label unless the ${returns.feeBasis} got free shipping.`,
    ),
    r(
      "RET-8",
      `Refund to the original payment after inspection; shows in ${range(returns.refundBusinessDays)} business days.`,
    ),
    r(
      "RET-9",
      `Wrong item reported within ${returns.wrongItem.reportBusinessDays} business days; answered within ${returns.wrongItem.answerHours} hours.`,
    ),
    r("RET-10", "Damaged on arrival: return arranged, no replacement."),
    r("RET-11", "Proven inauthentic: full refund, no fees."),
    r(
      "RET-12",
      returns.packageArrivalDays === null
        ? "No arrival deadline for returns."
        : `Return must arrive within ${returns.packageArrivalDays} days of delivery.`,
    ),
    r("RET-13", "Returns lost before receipt are the customer's risk."),
    r("WAR-1", warranty.enabled ? `${warranty.standardMonths}-month warranty from purchase.` : "No warranty."),
    r("WAR-2", `${warranty.extendedMonths} months for ${warranty.extendedTags.join(", ")} pieces.`),
    r("WAR-3", `Not covered at ${warranty.finalSaleDiscountPercent}% off or more.`),
    r("WAR-4", "Manufacturing defects only."),
    r("WAR-5", "Otherwise paid repair, quoted after examination."),
  ];
}
