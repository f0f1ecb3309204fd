import { readCheckoutRules } from "../../../app/policy/checkout-rules";
import { formatMoney, parseDecimal } from "../../../app/policy/money";
import { destinationDecision, freeShippingStatus } from "../../../app/policy/shipping";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";

/** The input, as selected by cart_delivery_options_discounts_generate_run.graphql. */
export interface Input {
  cart: {
    cost: { subtotalAmount: { amount: string; currencyCode: string } };
    deliveryGroups: Array<{ id: string; deliveryAddress: { countryCode: string | null } | null }>;
  };
  localization: { language: { isoCode: string } };
  discount: { discountClasses: string[]; metafield: { jsonValue: unknown } | null };
}

export interface Output {
  operations: Array<{
    deliveryDiscountsAdd: {
      selectionStrategy: "ALL";
      candidates: Array<{
        targets: Array<{ deliveryGroup: { id: string } }>;
        value: { percentage: { value: number } };
        message: string;
      }>;
    };
  }>;
}

const MESSAGES: Record<string, string> = { EN: en.message, JA: ja.message };

/**
 * SHP-1: 100 % off every domestic delivery option once the merchandise subtotal
 * (after line discounts, before tax and shipping) is at or above the threshold.
 */
export function cartDeliveryOptionsDiscountsGenerateRun(input: Input): Output {
  if (!input.discount.discountClasses.includes("SHIPPING")) return { operations: [] };
  const { shipping } = readCheckoutRules(input.discount.metafield?.jsonValue);
  const { amount, currencyCode } = input.cart.cost.subtotalAmount;
  const subtotal = parseDecimal(amount, currencyCode);
  if (shipping.freeShippingThreshold && shipping.freeShippingThreshold.currency !== currencyCode)
    return { operations: [] };
  const status = freeShippingStatus(subtotal, shipping);
  if (!status.qualifies || !shipping.freeShippingThreshold) return { operations: [] };
  const domestic = input.cart.deliveryGroups.filter((group) => {
    const country = group.deliveryAddress?.countryCode;
    return country ? destinationDecision(country, shipping).allowed : false;
  });
  if (!domestic.length) return { operations: [] };
  const template = MESSAGES[input.localization.language.isoCode.toUpperCase()] ?? en.message;
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          selectionStrategy: "ALL",
          candidates: [
            {
              targets: domestic.map((group) => ({ deliveryGroup: { id: group.id } })),
              value: { percentage: { value: 100 } },
              message: template.replace("{threshold}", formatMoney(shipping.freeShippingThreshold)),
            },
          ],
        },
      },
    ],
  };
}
