import type { CheckoutRules } from "./checkout-rules";
import { noReservationNotice } from "./inventory";
import type { Notice } from "./rules";
import { shippingNotices } from "./shipping";

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
