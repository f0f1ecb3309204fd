import { describe, expect, it } from "vitest";
import { conditionRankNotice } from "../../../app/policy/inventory";
import { formatMoney } from "../../../app/policy/money";
import { checkoutFreeShipping, checkoutNotices, type CheckoutDiscountFacts } from "../../../app/policy/notices";
import type { Notice } from "../../../app/policy/rules";
import { freeShippingNotice } from "../../../app/policy/shipping";
import { alluRules, LOCALES, translator } from "./support";

/** Every notice the policy can show at checkout, in every state. */
function allNotices(): Notice[] {
  const rules = alluRules();
  const relaxed = { ...rules, returns: { paymentMethods: "any" as const, exchanges: true } };
  const { cart, shipping, payment } = checkoutNotices(rules);
  const usd = (amount: number) => ({ amount, currency: "USD" });
  const atCheckout = (facts: Partial<CheckoutDiscountFacts>) =>
    checkoutFreeShipping(
      {
        linePrices: [usd(52_000)],
        productDiscounts: [],
        orderDiscounts: [],
        discountCode: false,
        shipping: null,
        ...facts,
      },
      rules.shipping,
    ).notices;
  const shipsFree = { cost: usd(2_000), afterDiscounts: usd(0) };
  return [
    ...cart,
    ...shipping,
    ...payment,
    ...checkoutNotices(relaxed).payment,
    freeShippingNotice(usd(12_345), rules.shipping)!,
    freeShippingNotice(usd(50_000), rules.shipping)!,
    ...atCheckout({ linePrices: [usd(40_000)], shipping: shipsFree }),
    ...atCheckout({ orderDiscounts: [usd(1_000)], discountCode: true }),
    ...atCheckout({ linePrices: [usd(48_000)], productDiscounts: [usd(1_000)] }),
    ...atCheckout({ orderDiscounts: [usd(15_000)], discountCode: true }),
    ...atCheckout({ productDiscounts: [usd(3_000)] }),
    ...["N", "S", "SA", "A", "AB", "B", "BC", "C", "Q"].map((rank) => conditionRankNotice(rank)!),
  ];
}

function keys(node: object, prefix = ""): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === "object" ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("checkout-policy-ui locales", () => {
  it("say in English exactly what the policy says", () => {
    const english = translator(LOCALES.en);
    for (const notice of allNotices()) {
      const params = Object.fromEntries(
        Object.entries(notice.params ?? {}).map(([name, value]) => [
          name,
          typeof value === "string" ? value : formatMoney(value),
        ]),
      );
      expect(english(`notices.${notice.key}`, params), notice.key).toBe(notice.message);
    }
  });

  it("hold no notice the policy never shows", () => {
    const shown = new Set(allNotices().map((notice) => notice.key));
    expect(keys(LOCALES.en.notices).filter((key) => !shown.has(key))).toEqual([]);
  });

  it("translate every key into Japanese", () => {
    expect(keys(LOCALES.ja).sort()).toEqual(keys(LOCALES.en).sort());
    const japanese = translator(LOCALES.ja);
    expect(japanese("notices.domesticOnly", { countries: "US" })).toBe(
      "配送先はUS国内のみです。海外配送は行っておりません。",
    );
  });
});
