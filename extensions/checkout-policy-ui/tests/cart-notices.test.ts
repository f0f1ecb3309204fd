// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CartDiscountAllocation, CartLine, DeliveryGroup } from "@shopify/ui-extensions/checkout";
import {
  alluRules,
  automaticDiscount,
  codeDiscount,
  i18nFor,
  pricedLine,
  rulesEntry,
  shippingChosen,
  texts,
  usd,
} from "./support";

const extension = getExtension("purchase.checkout.cart-line-list.render-after");

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n = i18nFor("en", extension.shopify.i18n);
  extension.shopify.appMetafields.value = [rulesEntry(alluRules())];
});
afterEach(() => extension.tearDown());

const freeShipping = () => document.body.querySelector('[data-rule="SHP-1"]');
const sentences = () => texts('[data-rule="SHP-1"] s-text');
const bar = () => freeShipping()?.querySelector("s-progress");

/** The cart as checkout shows it: its lines, the order discounts and codes, and the chosen shipping. */
function cart(
  lines: CartLine[],
  {
    order = [],
    codes = [],
    delivery = [],
  }: { order?: CartDiscountAllocation[]; codes?: string[]; delivery?: DeliveryGroup[] } = {},
) {
  const { shopify } = extension;
  shopify.lines.value = lines;
  shopify.cost.subtotalAmount.value = usd(lines.reduce((total, line) => total + line.cost.totalAmount.amount, 0));
  shopify.discountAllocations.value = order;
  shopify.discountCodes.value = codes.map((code) => ({ code }));
  shopify.deliveryGroups.value = delivery;
}
const oneLine = (amount: number) => [pricedLine(1, amount)];

describe("checkout-policy-ui under the cart lines: SHP-1 progress, INV-3, PRC-1", () => {
  it("below the threshold: the amount left and a progress bar", async () => {
    cart(oneLine(420));
    await extension.render();
    expect(freeShipping()?.querySelector("s-text")?.textContent).toBe(
      "Add $80.00 more for free shipping (orders of $500.00 or more).",
    );
    expect([bar()?.getAttribute("value"), bar()?.getAttribute("max")]).toEqual(["42000", "50000"]);
  });

  it("a cent short is still short", async () => {
    cart([pricedLine(1, 300), pricedLine(2, 199.99)]);
    await extension.render();
    expect(freeShipping()?.textContent).toContain("Add $0.01 more");
  });

  it("at the threshold: free, no bar", async () => {
    cart(oneLine(500));
    await extension.render();
    expect(freeShipping()?.textContent).toBe("Your order ships free (orders of $500.00 or more).");
    expect(freeShipping()?.querySelector("s-progress")).toBeNull();
  });

  it("above the threshold: free", async () => {
    cart(oneLine(2_150.5));
    await extension.render();
    expect(freeShipping()?.textContent).toBe("Your order ships free (orders of $500.00 or more).");
  });

  it("follows the synced threshold, not a number of its own", async () => {
    const rules = alluRules();
    rules.shipping.freeShippingThreshold = { amount: 75_000, currency: "USD" };
    extension.shopify.appMetafields.value = [rulesEntry(rules)];
    cart(oneLine(600));
    await extension.render();
    expect(freeShipping()?.textContent).toBe("Add $150.00 more for free shipping (orders of $750.00 or more).");
  });

  it("says nothing about free shipping when the store never offers it, or in another currency", async () => {
    const rules = alluRules();
    rules.shipping.freeShippingThreshold = null;
    extension.shopify.appMetafields.value = [rulesEntry(rules)];
    await extension.render();
    expect(freeShipping()).toBeNull();
    extension.tearDown();
    extension.setUp();
    extension.shopify.i18n = i18nFor("en", extension.shopify.i18n);
    cart([pricedLine(1, 300, [], "CAD")]);
    await extension.render();
    expect(freeShipping()).toBeNull();
  });

  it("uses the default preset before the first sync", async () => {
    extension.shopify.appMetafields.value = [];
    cart(oneLine(100));
    await extension.render();
    expect(freeShipping()?.textContent).toContain("Add $400.00 more");
  });

  it("explains no reservation (INV-3) and fixed prices (PRC-1)", async () => {
    await extension.render();
    expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("Before you pay");
    expect(texts("s-list-item")).toEqual([
      "Every item is one of a kind and your cart does not reserve it: the first completed checkout gets it.",
      "Prices are fixed: no negotiation and no multi-item discounts.",
    ]);
  });

  it("speaks Japanese", async () => {
    extension.shopify.i18n = i18nFor("ja", extension.shopify.i18n);
    cart(oneLine(420));
    await extension.render();
    expect(freeShipping()?.textContent).toBe("あと$80.00で送料無料になります（$500.00以上のご注文）。");
    expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("お支払いの前に");
  });
});

describe("checkout-policy-ui SHP-1 beside the shopper's other discounts (free shipping combines with none)", () => {
  const SAVES_MORE_CODE =
    "Your discount code saves you more than free shipping would; the two don't combine, so Shopify keeps your code.";
  const NOT_COMBINED_CODE =
    "Free shipping doesn't combine with your discount code; Shopify keeps whichever saves you more.";

  it("a $600 cart with a $150 code: the code saves more, so no free shipping is promised and no progress shown", async () => {
    cart(oneLine(600), { order: [codeDiscount("SAVE150", 150)], codes: ["SAVE150"] });
    await extension.render();
    expect(sentences()).toEqual([SAVES_MORE_CODE]);
    expect(freeShipping()?.textContent).not.toContain("ships free");
    expect(bar()).toBeNull();
  });

  it("a $600 cart with a $150 code at the shipping step, $20 charged: still the code, never 'ships free'", async () => {
    cart(oneLine(600), {
      order: [codeDiscount("SAVE150", 150)],
      codes: ["SAVE150"],
      delivery: [shippingChosen(20, 20)],
    });
    await extension.render();
    expect(sentences()).toEqual([SAVES_MORE_CODE]);
  });

  it("a $520 cart with a $10 code: qualifies after discounts, but says the two don't combine instead of 'ships free'", async () => {
    cart(oneLine(520), { order: [codeDiscount("TEN", 10)], codes: ["TEN"] });
    await extension.render();
    expect(sentences()).toEqual([
      "Your order qualifies for free shipping (orders of $500.00 or more after discounts).",
      NOT_COMBINED_CODE,
    ]);
    expect(bar()).toBeNull();
  });

  it("below the threshold after a small code: progress measured after discounts, with the combining rule", async () => {
    cart(oneLine(480), { order: [codeDiscount("TEN", 10)], codes: ["TEN"] });
    await extension.render();
    expect(sentences()).toEqual([
      "Add $30.00 more for free shipping (orders of $500.00 or more after discounts).",
      NOT_COMBINED_CODE,
    ]);
    expect([bar()?.getAttribute("value"), bar()?.getAttribute("max")]).toEqual(["47000", "50000"]);
  });

  it("an automatic product discount on a line is named as a discount, not a code", async () => {
    cart([pricedLine(1, 500, [automaticDiscount("Summer sale", 30)])]);
    await extension.render();
    expect(sentences()).toEqual([
      "Your discount saves you more than free shipping would; the two don't combine, so Shopify keeps your discount.",
    ]);
  });

  it("free shipping applied: ships free", async () => {
    cart(oneLine(600), { delivery: [shippingChosen(20, 0)] });
    await extension.render();
    expect(sentences()).toEqual(["Your order ships free (orders of $500.00 or more)."]);
    expect(bar()).toBeNull();
  });

  it("free shipping applied and the $10 code set aside: ships free, and says why the code was not used", async () => {
    cart(oneLine(520), { codes: ["TEN"], delivery: [shippingChosen(20, 0)] });
    await extension.render();
    expect(sentences()).toEqual(["Your order ships free (orders of $500.00 or more).", NOT_COMBINED_CODE]);
  });

  it("no discount at all, shipping chosen: the plain progress and 'ships free' once free shipping is applied", async () => {
    cart(oneLine(420), { delivery: [shippingChosen(20, 20)] });
    await extension.render();
    expect(sentences()).toEqual(["Add $80.00 more for free shipping (orders of $500.00 or more)."]);
    expect(bar()?.getAttribute("value")).toBe("42000");
    extension.tearDown();
    extension.setUp();
    extension.shopify.i18n = i18nFor("en", extension.shopify.i18n);
    cart(oneLine(500), { delivery: [shippingChosen(20, 0)] });
    await extension.render();
    expect(sentences()).toEqual(["Your order ships free (orders of $500.00 or more)."]);
  });

  it("never says 'ships free' while checkout charges shipping, even at the threshold", async () => {
    cart(oneLine(600), { delivery: [shippingChosen(20, 20)] });
    await extension.render();
    expect(freeShipping()).toBeNull();
  });

  it("speaks Japanese about the combining rule", async () => {
    extension.shopify.i18n = i18nFor("ja", extension.shopify.i18n);
    cart(oneLine(520), { order: [codeDiscount("TEN", 10)], codes: ["TEN"] });
    await extension.render();
    expect(sentences()).toEqual([
      "送料無料の対象です（割引適用後$500.00以上のご注文）。",
      "送料無料はお使いの割引コードと併用できません。Shopifyがよりお得な方を適用します。",
    ]);
  });
});
