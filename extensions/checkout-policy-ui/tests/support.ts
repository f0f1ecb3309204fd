import type { AppMetafieldEntry, CartLine } from "@shopify/ui-extensions/checkout";
import { createCartLine } from "@shopify/ui-extensions-tester/checkout";
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
