/// <reference types="@shopify/ui-extensions/purchase.checkout.block.render" />
import type { Money as CheckoutMoney } from "@shopify/ui-extensions/checkout";
import { useApi, useAppMetafields } from "@shopify/ui-extensions/checkout/preact";
import { useMemo } from "preact/hooks";
import { CHECKOUT_RULES_METAFIELD, readCheckoutRules, type CheckoutRules } from "../../../app/policy/checkout-rules";
import { minorUnitDigits, parseDecimal, type Money } from "../../../app/policy/money";
import type { Notice } from "../../../app/policy/rules";

/** The rules policy sync wrote on the shop; the default preset's until the first sync. */
export function useCheckoutRules(): CheckoutRules {
  const [entry] = useAppMetafields({ type: "shop", ...CHECKOUT_RULES_METAFIELD });
  const value = entry?.metafield.value;
  return useMemo(() => readCheckoutRules(typeof value === "string" ? parseJson(value) : undefined), [value]);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Checkout sends decimal numbers; the policy counts whole minor units. */
export function toMoney(value: CheckoutMoney): Money {
  return parseDecimal(value.amount.toFixed(minorUnitDigits(value.currencyCode)), value.currencyCode);
}

/** A notice in the shopper's language, money formatted for their locale. */
export function useNoticeText(): (notice: Notice) => string {
  const { i18n } = useApi();
  return (notice) => {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(notice.params ?? {})) {
      params[name] =
        typeof value === "string"
          ? value
          : i18n.formatCurrency(value.amount / 10 ** minorUnitDigits(value.currency), { currency: value.currency });
    }
    return i18n.translate(`notices.${notice.key}`, params);
  };
}

export function NoticeList({ heading, notices }: { heading: string; notices: Notice[] }) {
  const text = useNoticeText();
  if (!notices.length) return null;
  return (
    <s-banner heading={heading} tone="info">
      <s-unordered-list>
        {notices.map((notice) => (
          <s-list-item key={notice.key} data-rule={notice.rule}>
            {text(notice)}
          </s-list-item>
        ))}
      </s-unordered-list>
    </s-banner>
  );
}
