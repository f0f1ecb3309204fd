// @vitest-environment jsdom
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, describe, expect, it } from "vitest";
import { alluRules, i18nFor, rulesEntry, texts } from "./support";

const shippingStep = getExtension("purchase.checkout.shipping-option-list.render-after");
const paymentStep = getExtension("purchase.checkout.payment-method-list.render-after");
afterEach(() => {
  shippingStep.tearDown();
  paymentStep.tearDown();
});

async function renderStep(step: typeof shippingStep | typeof paymentStep, language: "en" | "ja", rules = alluRules()) {
  step.setUp();
  step.shopify.i18n = i18nFor(language, step.shopify.i18n);
  step.shopify.appMetafields.value = [rulesEntry(rules)];
  await step.render();
}

describe("checkout-policy-ui at the shipping and payment steps", () => {
  it("shipping: domestic only (SHP-3), carrier and signature (SHP-4), ship-to and no gift wrap (SHP-5)", async () => {
    await renderStep(shippingStep, "en");
    expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("Shipping");
    expect(texts("s-list-item")).toEqual([
      "We ship only within US; no international shipping.",
      "We choose the carrier (FedEx, UPS, USPS).",
      "A signature is required on delivery.",
      "You may ship to an address other than your own. Several items ship together in one package.",
      "Gift wrap is not available.",
    ]);
  });

  it("payment: card-only returns (RET-3) and no exchanges (RET-4)", async () => {
    await renderStep(paymentStep, "en");
    expect(document.body.querySelector("s-banner")?.getAttribute("heading")).toBe("Returns");
    expect([...document.body.querySelectorAll("s-list-item")].map((item) => item.getAttribute("data-rule"))).toEqual([
      "RET-3",
      "RET-4",
    ]);
    expect(texts("s-list-item")[0]).toBe("Only items paid for by credit card (Shop Pay included) can be returned.");
  });

  it("payment: nothing to say when the store takes returns of any payment and offers exchanges", async () => {
    const rules = alluRules();
    rules.returns = { paymentMethods: "any", exchanges: true };
    await renderStep(paymentStep, "en", rules);
    expect(document.body.querySelector("s-banner")).toBeNull();
  });

  it("Japanese at the payment step", async () => {
    await renderStep(paymentStep, "ja");
    expect(texts("s-list-item")).toEqual([
      "返品はクレジットカード（Shop Payを含む）でお支払いいただいた商品のみ承ります。",
      "交換は承っておりません。",
    ]);
  });
});
