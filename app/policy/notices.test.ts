import { describe, expect, it } from "vitest";
import { money } from "./money";
import { checkoutFreeShipping, type CheckoutDiscountFacts } from "./notices";
import { presetSettings } from "./settings";
import { freeShippingNotice } from "./shipping";

const { shipping } = presetSettings("allu");
const usd = (cents: number) => money(cents, "USD");

describe("SHP-1 at checkout beside other discounts (free shipping combines with none)", () => {
  const facts = (overrides: Partial<CheckoutDiscountFacts>): CheckoutDiscountFacts => ({
    linePrices: [usd(60_000)],
    productDiscounts: [],
    orderDiscounts: [],
    discountCode: false,
    shipping: null,
    ...overrides,
  });
  const keys = (overrides: Partial<CheckoutDiscountFacts>, settings = shipping) =>
    checkoutFreeShipping(facts(overrides), settings).notices.map((notice) => notice.key);
  const charged = { cost: usd(2_000), afterDiscounts: usd(2_000) };
  const free = { cost: usd(2_000), afterDiscounts: usd(0) };

  it("measures the subtotal after order discounts; the lines already carry their product discounts", () => {
    const result = checkoutFreeShipping(
      facts({ linePrices: [usd(30_000), usd(20_000)], productDiscounts: [usd(5_000)], orderDiscounts: [usd(1_000)] }),
      shipping,
    );
    expect(result.subtotal).toEqual(usd(49_000));
  });

  it("$600 with a $150 code: the code saves more than the $20 shipping, so no progress and no free shipping", () => {
    const result = checkoutFreeShipping(facts({ orderDiscounts: [usd(15_000)], discountCode: true }), shipping);
    expect(result).toEqual({
      subtotal: usd(45_000),
      progress: false,
      notices: [
        {
          rule: "SHP-1",
          key: "freeShipping.discountSavesMore.code",
          message:
            "Your discount code saves you more than free shipping would; the two don't combine, so Shopify keeps your code.",
        },
      ],
    });
    expect(keys({ orderDiscounts: [usd(15_000)], discountCode: true, shipping: charged })).toEqual([
      "freeShipping.discountSavesMore.code",
    ]);
  });

  it("$520 with a $10 code: qualifies after discounts, and the two don't combine; never 'ships free'", () => {
    const result = checkoutFreeShipping(
      facts({ linePrices: [usd(52_000)], orderDiscounts: [usd(1_000)], discountCode: true }),
      shipping,
    );
    expect(result.subtotal).toEqual(usd(51_000));
    expect(result.progress).toBe(false);
    expect(result.notices.map((n) => n.message)).toEqual([
      "Your order qualifies for free shipping (orders of $500.00 or more after discounts).",
      "Free shipping doesn't combine with your discount code; Shopify keeps whichever saves you more.",
    ]);
  });

  it("below the threshold after a smaller discount: the amount left after discounts, with a bar", () => {
    const result = checkoutFreeShipping(facts({ linePrices: [usd(48_000)], productDiscounts: [usd(1_000)] }), shipping);
    expect(result.progress).toBe(true);
    expect(result.notices[0]).toMatchObject({
      key: "freeShipping.remainingAfterDiscounts",
      params: { remaining: usd(2_000), threshold: usd(50_000) },
      message: "Add $20.00 more for free shipping (orders of $500.00 or more after discounts).",
    });
    expect(result.notices[1]?.key).toBe("freeShipping.notCombined.discount");
  });

  it("weighs the other discount against the shipping checkout charges, else the flat rate", () => {
    const discount = { orderDiscounts: [usd(2_500)], discountCode: true };
    expect(keys({ ...discount, shipping: { cost: usd(3_000), afterDiscounts: usd(3_000) } })[1]).toBe(
      "freeShipping.notCombined.code",
    );
    expect(keys(discount)).toEqual(["freeShipping.discountSavesMore.code"]);
    // A tie: free shipping gains nothing, so no progress, and no claim that either saves more.
    expect(keys({ orderDiscounts: [usd(2_000)], discountCode: true })).toEqual(["freeShipping.notCombined.code"]);
    // No flat rate and no shipping yet: free shipping may still win.
    expect(keys(discount, { ...shipping, flatRate: null })).toEqual([
      "freeShipping.qualifies",
      "freeShipping.notCombined.code",
    ]);
  });

  it("ships free only when checkout shows shipping free, or nothing competes and none is charged yet", () => {
    expect(keys({ shipping: free })).toEqual(["freeShipping.unlocked"]);
    expect(keys({})).toEqual(["freeShipping.unlocked"]);
    expect(keys({ shipping: charged })).toEqual([]);
    expect(keys({ linePrices: [usd(30_000)], shipping: free })).toEqual(["freeShipping.applied"]);
    // Shopify set the code aside for free shipping: say why.
    expect(keys({ discountCode: true, shipping: free })).toEqual([
      "freeShipping.unlocked",
      "freeShipping.notCombined.code",
    ]);
    // Shipping free beside a discount still applied: they did combine (another shipping offer), nothing to explain.
    expect(keys({ orderDiscounts: [usd(1_000)], discountCode: true, shipping: free })).toEqual([
      "freeShipping.unlocked",
    ]);
  });

  it("without other discounts it is the plain progress", () => {
    const result = checkoutFreeShipping(facts({ linePrices: [usd(42_000)], shipping: charged }), shipping);
    expect(result.notices).toEqual([freeShippingNotice(usd(42_000), shipping)]);
    expect(result.progress).toBe(true);
  });

  it("says nothing when the store never ships free, or in another currency", () => {
    expect(keys({ orderDiscounts: [usd(1_000)] }, { ...shipping, freeShippingThreshold: null })).toEqual([]);
    expect(keys({ linePrices: [money(60_000, "CAD")], orderDiscounts: [money(1_000, "CAD")] })).toEqual([]);
  });
});
