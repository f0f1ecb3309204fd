import { readCheckoutRules } from "../../../app/policy/checkout-rules";
import { formatMoney, parseDecimal } from "../../../app/policy/money";
import { destinationDecision, freeShippingStatus, subtotalAfterDiscounts } from "../../../app/policy/shipping";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";

interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

/** The input, as selected by cart_delivery_options_discounts_generate_run.graphql. */
export interface Input {
  cart: {
    cost: { subtotalAmount: { currencyCode: string } };
    lines: Array<{ cost: { subtotalAmount: MoneyV2 } }>;
    discountApplications: Array<{ targetType: "LINE_ITEM" | "SHIPPING_LINE"; totalAllocatedAmount: MoneyV2 }>;
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

const NO_DISCOUNT: Output = { operations: [] };
const toMoney = (value: MoneyV2) => parseDecimal(value.amount, value.currencyCode);

/**
 * SHP-1: 100 % off every domestic delivery option once the merchandise subtotal
 * (after discounts, before tax and shipping) is at or above the threshold.
 *
 * Shopify runs discount Functions side by side, so the input shows each line at its
 * price (markdowns included) but not, as a rule, the other discounts: those it does list
 * in `discountApplications` are taken off here; the rest are kept out by the discount
 * never combining with product or order discounts (FREE_SHIPPING_COMBINES_WITH, sent by
 * policy sync), so an order that ships free carries no other merchandise discount.
 */
export function cartDeliveryOptionsDiscountsGenerateRun(input: Input): Output {
  if (!input.discount.discountClasses.includes("SHIPPING")) return NO_DISCOUNT;
  const { shipping } = readCheckoutRules(input.discount.metafield?.jsonValue);
  const threshold = shipping.freeShippingThreshold;
  const currency = input.cart.cost.subtotalAmount.currencyCode;
  if (!threshold || threshold.currency !== currency) return NO_DISCOUNT;
  const subtotal = subtotalAfterDiscounts(
    currency,
    input.cart.lines.map((line) => toMoney(line.cost.subtotalAmount)),
    input.cart.discountApplications
      .filter((application) => application.targetType === "LINE_ITEM")
      .map((application) => toMoney(application.totalAllocatedAmount)),
  );
  if (!freeShippingStatus(subtotal, shipping).qualifies) return NO_DISCOUNT;
  const domestic = input.cart.deliveryGroups.filter((group) => {
    const country = group.deliveryAddress?.countryCode;
    return country ? destinationDecision(country, shipping).allowed : false;
  });
  if (!domestic.length) return NO_DISCOUNT;
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
              message: template.replace("{threshold}", formatMoney(threshold)),
            },
          ],
        },
      },
    ],
  };
}
