// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alluRules, i18nFor, rulesEntry, texts, usd } from "./support";

const extension = getExtension("purchase.checkout.cart-line-list.render-after");

beforeEach(() => {
  extension.setUp();
  extension.shopify.i18n = i18nFor("en", extension.shopify.i18n);
  extension.shopify.appMetafields.value = [rulesEntry(alluRules())];
});
afterEach(() => extension.tearDown());

const freeShipping = () => document.body.querySelector('[data-rule="SHP-1"]');

describe("checkout-policy-ui under the cart lines: SHP-1 progress, INV-3, PRC-1", () => {
  it("below the threshold: the amount left and a progress bar", async () => {
    extension.shopify.cost.subtotalAmount.value = usd(420);
    await extension.render();
    expect(freeShipping()?.querySelector("s-text")?.textContent).toBe(
      "Add $80.00 more for free shipping (orders of $500.00 or more).",
    );
    const bar = freeShipping()?.querySelector("s-progress");
    expect([bar?.getAttribute("value"), bar?.getAttribute("max")]).toEqual(["42000", "50000"]);
  });

  it("a cent short is still short", async () => {
    extension.shopify.cost.subtotalAmount.value = usd(499.99);
    await extension.render();
    expect(freeShipping()?.textContent).toContain("Add $0.01 more");
  });

  it("at the threshold: free, no bar", async () => {
    extension.shopify.cost.subtotalAmount.value = usd(500);
    await extension.render();
    expect(freeShipping()?.textContent).toBe("Your order ships free (orders of $500.00 or more).");
    expect(freeShipping()?.querySelector("s-progress")).toBeNull();
  });

  it("above the threshold: free", async () => {
    extension.shopify.cost.subtotalAmount.value = usd(2_150.5);
    await extension.render();
    expect(freeShipping()?.textContent).toBe("Your order ships free (orders of $500.00 or more).");
  });

  it("follows the synced threshold, not a number of its own", async () => {
    const rules = alluRules();
    rules.shipping.freeShippingThreshold = { amount: 75_000, currency: "USD" };
    extension.shopify.appMetafields.value = [rulesEntry(rules)];
    extension.shopify.cost.subtotalAmount.value = usd(600);
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
    extension.shopify.cost.subtotalAmount.value = { amount: 300, currencyCode: "CAD" };
    await extension.render();
    expect(freeShipping()).toBeNull();
  });

  it("uses the default preset before the first sync", async () => {
    extension.shopify.appMetafields.value = [];
    extension.shopify.cost.subtotalAmount.value = usd(100);
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
    extension.shopify.cost.subtotalAmount.value = usd(420);
    await extension.render();
    expect(freeShipping()?.textContent).toBe("あと$80.00で送料無料になります（$500.00以上のご注文）。");
    expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("お支払いの前に");
  });
});
