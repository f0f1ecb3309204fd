import { allow, deny, type Decision, type Finding, type Notice } from "./rules";
import { compare, formatMoney, max, subtract, sum, zero, type Money } from "./money";
import type { ShippingSettings } from "./settings";

export interface FreeShippingStatus {
  qualifies: boolean;
  /** What is still to add to the cart; zero once it qualifies. */
  remaining: Money;
  decision: Decision;
}

/**
 * SHP-1: free shipping when the merchandise subtotal (after discounts, before
 * tax and shipping) is at or above the threshold.
 */
export function freeShippingStatus(subtotal: Money, shipping: ShippingSettings): FreeShippingStatus {
  const threshold = shipping.freeShippingThreshold;
  if (!threshold) {
    return {
      qualifies: false,
      remaining: zero(subtotal.currency),
      decision: deny("SHP-1", "FREE_SHIPPING_OFF", "This store does not offer free shipping."),
    };
  }
  if (compare(subtotal, threshold) >= 0) {
    return {
      qualifies: true,
      remaining: zero(subtotal.currency),
      decision: allow("SHP-1", "FREE_SHIPPING", `Free shipping on orders of ${formatMoney(threshold)} or more.`),
    };
  }
  const remaining = max(subtract(threshold, subtotal), zero(subtotal.currency));
  return {
    qualifies: false,
    remaining,
    decision: deny(
      "SHP-1",
      "BELOW_FREE_SHIPPING_THRESHOLD",
      `Add ${formatMoney(remaining)} more for free shipping (orders of ${formatMoney(threshold)} or more).`,
    ),
  };
}

/**
 * The subtotal SHP-1 measures: the lines at their prices, less every discount taken
 * off merchandise (product and order discounts alike), never below zero.
 */
export function subtotalAfterDiscounts(
  currency: string,
  linePrices: readonly Money[],
  merchandiseDiscounts: readonly Money[],
): Money {
  return max(subtract(sum(linePrices, currency), sum(merchandiseDiscounts, currency)), zero(currency));
}

/**
 * How the free-shipping discount combines with others. Discount Functions run side by
 * side, so the Function's input cannot be relied on to list the product and order
 * discounts (codes or automatic) the order will get; the discount combines with none.
 * Then an order that ships free carries no merchandise discount the Function missed, and
 * a shopper with another discount gets whichever of the two Shopify finds worth more.
 */
export const FREE_SHIPPING_COMBINES_WITH = {
  orderDiscounts: false,
  productDiscounts: false,
  shippingDiscounts: false,
} as const;

/**
 * What a placed order shows of SHP-1, in the currency the shopper paid in: the one the
 * free-shipping Function saw at checkout.
 */
export interface OrderShippingFacts {
  /** Merchandise after every discount, before returns, tax and shipping. */
  subtotalAfterDiscounts: Money;
  /** The shipping lines' price before and after shipping discounts; null when nothing ships (pickup, digital). */
  shippingCost: { price: Money; charged: Money } | null;
  /** The shipping address's country; null when the order has none. */
  countryCode: string | null;
  /** The shipping lines' titles (the service chosen), for the SHP-4 audit; absent on facts stored before. */
  services?: string[];
}

export type FreeShippingAuditCode = "FREE_SHIPPING_BELOW_THRESHOLD" | "FREE_SHIPPING_WITHHELD";

/**
 * SHP-1 after checkout, both ways: a shipping discount took all the shipping off an order
 * whose discounted subtotal is under the threshold, or shipping was charged on one at or
 * above it (which happens when Shopify chose a shopper's other discount over free
 * shipping; staff refund the shipping). Only where the free-shipping Function applies:
 * the threshold's currency and a served country.
 */
export function freeShippingOrderAudit(
  order: OrderShippingFacts,
  shipping: ShippingSettings,
): FreeShippingAuditCode | null {
  const threshold = shipping.freeShippingThreshold;
  const { subtotalAfterDiscounts: subtotal, shippingCost: cost, countryCode } = order;
  if (!threshold || threshold.currency !== subtotal.currency || !cost || !countryCode) return null;
  if (!destinationDecision(countryCode, shipping).allowed) return null;
  const qualifies = freeShippingStatus(subtotal, shipping).qualifies;
  // A $0 rate is no discount: only a discount that took a charge away counts as free shipping.
  const discountedToFree = cost.price.amount > 0 && cost.charged.amount === 0;
  if (discountedToFree && !qualifies) return "FREE_SHIPPING_BELOW_THRESHOLD";
  if (qualifies && cost.charged.amount > 0) return "FREE_SHIPPING_WITHHELD";
  return null;
}

/** SHP-3: the store ships only to its allowed countries (null = worldwide). */
export function destinationDecision(countryCode: string, shipping: ShippingSettings): Decision {
  const allowed = shipping.allowedCountries;
  if (!allowed || allowed.includes(countryCode.toUpperCase())) {
    return allow("SHP-3", "DESTINATION_ALLOWED", "We ship to this address.");
  }
  return deny(
    "SHP-3",
    "DESTINATION_NOT_SERVED",
    `We only ship within ${allowed.join(", ")}. Please use an address there.`,
  );
}

export interface ShippingRate {
  name: string;
  price: Money;
  countryCodes: string[];
}

/** SHP-2: the shop's own rates should charge the flat rate below the threshold for every served country. */
export function flatRateAudit(rates: readonly ShippingRate[], shipping: ShippingSettings): Finding[] {
  const flat = shipping.flatRate;
  if (!flat) return [];
  const findings: Finding[] = [];
  for (const rate of rates) {
    if (rate.price.amount !== 0 && compare(rate.price, flat) !== 0) {
      findings.push({
        rule: "SHP-2",
        code: "RATE_DRIFT",
        message: `Rate "${rate.name}" charges ${formatMoney(rate.price)}; the policy's flat rate is ${formatMoney(flat)}.`,
      });
    }
  }
  for (const country of shipping.allowedCountries ?? []) {
    const served = rates.some((rate) => rate.countryCodes.includes(country) && compare(rate.price, flat) === 0);
    if (!served) {
      findings.push({
        rule: "SHP-2",
        code: "RATE_MISSING",
        message: `No ${formatMoney(flat)} flat rate ships to ${country}.`,
      });
    }
  }
  return findings;
}

/** The shipping-step notices that explain SHP-3/4/5 before the shopper pays. */
export function shippingNotices(shipping: ShippingSettings): Notice[] {
  const notices: Notice[] = [];
  if (shipping.allowedCountries) {
    const countries = shipping.allowedCountries.join(", ");
    notices.push({
      rule: "SHP-3",
      key: "domesticOnly",
      params: { countries },
      message: `We ship only within ${countries}; no international shipping.`,
    });
  }
  const carriers = shipping.carriers.join(", ");
  notices.push({
    rule: "SHP-4",
    key: "carrier",
    params: { carriers },
    message: `We choose the carrier (${carriers}).`,
  });
  if (shipping.signatureRequired) {
    notices.push({ rule: "SHP-4", key: "signature", message: "A signature is required on delivery." });
  }
  notices.push({
    rule: "SHP-5",
    key: "shipTo",
    message: "You may ship to an address other than your own. Several items ship together in one package.",
  });
  if (!shipping.giftWrap) notices.push({ rule: "SHP-5", key: "noGiftWrap", message: "Gift wrap is not available." });
  return notices;
}

/** SHP-1 progress for the shopper: how much is left, or that shipping is free; nothing if it never is. */
export function freeShippingNotice(subtotal: Money, shipping: ShippingSettings): Notice | undefined {
  const threshold = shipping.freeShippingThreshold;
  // In another presentment currency the discount Function gives nothing either.
  if (!threshold || threshold.currency !== subtotal.currency) return undefined;
  const status = freeShippingStatus(subtotal, shipping);
  return status.qualifies
    ? {
        rule: "SHP-1",
        key: "freeShipping.unlocked",
        params: { threshold },
        message: `Your order ships free (orders of ${formatMoney(threshold)} or more).`,
      }
    : {
        rule: "SHP-1",
        key: "freeShipping.remaining",
        params: { remaining: status.remaining, threshold },
        message: `Add ${formatMoney(status.remaining)} more for free shipping (orders of ${formatMoney(threshold)} or more).`,
      };
}
