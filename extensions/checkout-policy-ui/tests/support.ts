import type {
  AppMetafieldEntry,
  CartDiscountAllocation,
  CartLine,
  CurrencyCode,
  DeliveryGroup,
} from "@shopify/ui-extensions/checkout";
import { createCartLine, createShippingOption } from "@shopify/ui-extensions-tester/checkout";
import { CHECKOUT_RULES_METAFIELD, checkoutRules, type CheckoutRules } from "../../../app/policy/checkout-rules";
import { presetSettings } from "../../../app/policy/settings";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";

export const LOCALES = { en, ja } as const;

type Dictionary = { [key: string]: string | Dictionary };

/** The host's translate, over the extension's own locale files: a missing key fails the test. */
export function translator(locale: Dictionary) {
  return (key: string, params: Record<string, string | number> = {}) => {
    const entry = key
      .split(".")
      .reduce<string | Dictionary | undefined>(
        (node, part) => (typeof node === "object" ? node[part] : undefined),
        locale,
      );
    if (typeof entry !== "string") throw new Error(`No translation for "${key}"`);
    return entry.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`"${key}" needs {{${name}}}`);
      return String(params[name]);
    });
  };
}

/** What the extension needs of the host's i18n, in a real locale. */
export function i18nFor<I18n extends object>(language: keyof typeof LOCALES, base: I18n): I18n {
  const tag = language === "ja" ? "ja-JP" : "en-US";
  return {
    ...base,
    translate: translator(LOCALES[language]),
    formatCurrency: (amount: number | bigint, options?: { currency?: string }) =>
      new Intl.NumberFormat(tag, { style: "currency", currency: options?.currency ?? "USD" }).format(amount),
  } as I18n;
}

export function rulesEntry(rules: CheckoutRules): AppMetafieldEntry {
  return {
    target: { type: "shop", id: "gid://shopify/Shop/1" },
    metafield: {
      ...CHECKOUT_RULES_METAFIELD,
      value: JSON.stringify(rules),
      type: "json",
      valueType: "json_string",
    },
  };
}

export const alluRules = () => checkoutRules(presetSettings("allu"));

export function usd(amount: number) {
  return { amount, currencyCode: "USD" as const };
}

/** A line at what the shopper pays for it (after its own discounts, which `discounts` lists). */
export function pricedLine(
  id: number,
  amount: number,
  discounts: CartDiscountAllocation[] = [],
  currencyCode: CurrencyCode = "USD",
): CartLine {
  return createCartLine({
    id: `gid://shopify/CartLine/${id}`,
    cost: { totalAmount: { amount, currencyCode } },
    discountAllocations: discounts,
  });
}

export const codeDiscount = (code: string, amount: number): CartDiscountAllocation => ({
  type: "code",
  code,
  discountedAmount: usd(amount),
});

export const automaticDiscount = (title: string, amount: number): CartDiscountAllocation => ({
  type: "automatic",
  title,
  discountedAmount: usd(amount),
});

/** One delivery group shipping every line, with a chosen option at `cost`, `afterDiscounts` after shipping discounts. */
export function shippingChosen(cost: number, afterDiscounts: number): DeliveryGroup {
  const option = createShippingOption({ handle: "standard", cost: usd(cost), costAfterDiscounts: usd(afterDiscounts) });
  return {
    id: "gid://shopify/DeliveryGroup/1",
    targetedCartLines: [{ id: "gid://shopify/CartLine/1" }],
    deliveryOptions: [option],
    selectedDeliveryOption: { handle: option.handle },
    groupType: "oneTimePurchase",
    isDeliveryRequired: true,
  };
}

export function productLine(productId: number, productType: string, attributes: CartLine["attributes"] = []): CartLine {
  return createCartLine({
    id: `gid://shopify/CartLine/${productId}`,
    attributes,
    merchandise: {
      ...createCartLine().merchandise,
      id: `gid://shopify/ProductVariant/${productId}`,
      product: { id: `gid://shopify/Product/${productId}`, vendor: "Rolex", productType },
    },
  } as Partial<CartLine>);
}

export function conditionRank(productId: number, rank: string): AppMetafieldEntry {
  return {
    target: { type: "product", id: `gid://shopify/Product/${productId}` },
    metafield: {
      namespace: "custom",
      key: "condition_rank",
      value: rank,
      type: "single_line_text_field",
      valueType: "string",
    },
  };
}

export const texts = (selector: string) =>
  [...document.body.querySelectorAll(selector)].map((element) => element.textContent?.trim());
