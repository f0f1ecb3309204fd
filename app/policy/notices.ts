import type { CheckoutRules } from "./checkout-rules";
import { noReservationNotice } from "./inventory";
import { compare, formatMoney, sum, type Money } from "./money";
import type { Notice } from "./rules";
import type { ShippingSettings } from "./settings";
import { freeShippingNotice, freeShippingStatus, shippingNotices, subtotalAfterDiscounts } from "./shipping";

/** PRC-1: the app adds no discount of its own besides free shipping. */
export const NO_NEGOTIATION_NOTICE: Notice = {
  rule: "PRC-1",
  key: "fixedPrices",
  message: "Prices are fixed: no negotiation and no multi-item discounts.",
};

/** What checkout explains before the shopper pays, by step. */
export function checkoutNotices(rules: CheckoutRules): { cart: Notice[]; shipping: Notice[]; payment: Notice[] } {
  const payment: Notice[] = [];
  if (rules.returns.paymentMethods === "card_only") {
    payment.push({
      rule: "RET-3",
      key: "cardOnlyReturns",
      message: "Only items paid for by credit card (Shop Pay included) can be returned.",
    });
  }
  if (!rules.returns.exchanges)
    payment.push({ rule: "RET-4", key: "noExchanges", message: "We do not offer exchanges." });
  return {
    cart: [noReservationNotice(), NO_NEGOTIATION_NOTICE],
    shipping: shippingNotices(rules.shipping),
    payment,
  };
}

/** What checkout shows of the shopper's discounts and shipping, in its presentment currency. */
export interface CheckoutDiscountFacts {
  /** Each line at what the shopper pays for it: after its product discounts, before order discounts. */
  linePrices: readonly Money[];
  /** What product discounts took off the lines (already out of `linePrices`). */
  productDiscounts: readonly Money[];
  /** What order discounts take off the whole cart. */
  orderDiscounts: readonly Money[];
  /** A discount code is entered, whether Shopify applied it or set it aside. */
  discountCode: boolean;
  /** The chosen delivery options, before and after shipping discounts; null until the shopper has one. */
  shipping: { cost: Money; afterDiscounts: Money } | null;
}

/** SHP-1 as the shopper should read it at checkout: what checkout will do, never more. */
export interface CheckoutFreeShipping {
  /** Merchandise after every discount checkout applied: what SHP-1 measures. */
  subtotal: Money;
  /** The status line, then why free shipping and another discount are not both applied. */
  notices: Notice[];
  /** Show a bar from nothing to the threshold (only while adding to the cart can win free shipping). */
  progress: boolean;
}

/**
 * SHP-1 at checkout, with the shopper's other discounts in view. Free shipping combines
 * with no other discount (`FREE_SHIPPING_COMBINES_WITH` in shipping.ts), so Shopify keeps
 * whichever saves the shopper more: the notice never says "ships free" while another
 * discount is applied and shipping is not free, and offers no progress when the other
 * discount saves at least as much as free shipping would (adding to the cart would not
 * win it). The subtotal it measures is after discounts, as SHP-1 says.
 */
export function checkoutFreeShipping(cart: CheckoutDiscountFacts, shipping: ShippingSettings): CheckoutFreeShipping {
  const currency = cart.linePrices[0]?.currency ?? shipping.freeShippingThreshold?.currency ?? "USD";
  const subtotal = subtotalAfterDiscounts(currency, cart.linePrices, cart.orderDiscounts);
  const threshold = shipping.freeShippingThreshold;
  if (!threshold || threshold.currency !== currency) return { subtotal, notices: [], progress: false };
  const discounts = sum([...cart.productDiscounts, ...cart.orderDiscounts], currency);
  const status = freeShippingStatus(subtotal, shipping);
  const delivery = cart.shipping;
  const shipsFree = delivery !== null && delivery.afterDiscounts.amount === 0;
  const notices: Notice[] = [];

  if (shipsFree) {
    notices.push(
      status.qualifies
        ? (freeShippingNotice(subtotal, shipping) as Notice)
        : { rule: "SHP-1", key: "freeShipping.applied", message: "Your order ships free." },
    );
    // Shipping is free: a code Shopify set aside for it is worth explaining; a discount still applied combined.
    if (cart.discountCode && discounts.amount === 0) notices.push(notCombined(true));
    return { subtotal, notices, progress: false };
  }

  if (discounts.amount === 0 && !cart.discountCode) {
    // Nothing competes with free shipping: the delivery discount gives it at the threshold, unless
    // checkout already shows shipping charged, when saying "ships free" would not be true.
    if (status.qualifies && delivery) return { subtotal, notices, progress: false };
    notices.push(freeShippingNotice(subtotal, shipping) as Notice);
    return { subtotal, notices, progress: !status.qualifies };
  }

  // Another discount: free shipping is worth the shipping charge, and only wins if that is more.
  const code = cart.discountCode;
  const worth = delivery?.cost ?? shipping.flatRate;
  if (worth && worth.currency === currency && compare(discounts, worth) >= 0) {
    // Adding to the cart cannot win free shipping: no progress, and no promise of it.
    notices.push(compare(discounts, worth) > 0 ? discountSavesMore(code) : notCombined(code));
    return { subtotal, notices, progress: false };
  }
  notices.push(
    status.qualifies
      ? {
          rule: "SHP-1",
          key: "freeShipping.qualifies",
          params: { threshold },
          message: `Your order qualifies for free shipping (orders of ${formatMoney(threshold)} or more after discounts).`,
        }
      : {
          rule: "SHP-1",
          key: "freeShipping.remainingAfterDiscounts",
          params: { remaining: status.remaining, threshold },
          message: `Add ${formatMoney(status.remaining)} more for free shipping (orders of ${formatMoney(threshold)} or more after discounts).`,
        },
    notCombined(code),
  );
  return { subtotal, notices, progress: !status.qualifies };
}

function notCombined(code: boolean): Notice {
  return code
    ? {
        rule: "SHP-1",
        key: "freeShipping.notCombined.code",
        message: "Free shipping doesn't combine with your discount code; Shopify keeps whichever saves you more.",
      }
    : {
        rule: "SHP-1",
        key: "freeShipping.notCombined.discount",
        message: "Free shipping doesn't combine with your other discount; Shopify keeps whichever saves you more.",
      };
}

function discountSavesMore(code: boolean): Notice {
  return code
    ? {
        rule: "SHP-1",
        key: "freeShipping.discountSavesMore.code",
        message:
          "Your discount code saves you more than free shipping would; the two don't combine, so Shopify keeps your code.",
      }
    : {
        rule: "SHP-1",
        key: "freeShipping.discountSavesMore.discount",
        message:
          "Your discount saves you more than free shipping would; the two don't combine, so Shopify keeps your discount.",
      };
}
