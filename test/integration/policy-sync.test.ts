import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore } from "../emulator/builders";
import { startEmulator, type Emulator } from "../emulator/server";
import type { EmulatedStore, Node } from "../emulator/store";
import type * as GatewayModule from "../../app/services/shopify/admin-gateway.server";
import type * as PolicySync from "../../app/services/checkout/policy-sync.server";

let emulator: Emulator;
let store: EmulatedStore;
let sync: typeof PolicySync;
let Gateway: typeof GatewayModule.AdminGateway;

beforeAll(async () => {
  process.env.SHOPIFY_API_KEY ??= "k";
  process.env.SHOPIFY_API_SECRET ??= "s";
  process.env.SHOPIFY_APP_URL ??= "https://policy-guard.example.com";
  process.env.SCOPES ??= "read_orders";
  sync = await import("../../app/services/checkout/policy-sync.server");
  ({ AdminGateway: Gateway } = await import("../../app/services/shopify/admin-gateway.server"));
  store = createStore();
  emulator = await startEmulator({
    store,
    app: {
      apiKey: "policy-guard",
      secret: "s",
      title: "Policy Guard",
      handle: "policy-guard",
      appUrl: "http://127.0.0.1:9",
    },
    subscribeFromToml: false,
  });
});
afterAll(() => emulator.close());

const gateway = () => new Gateway(store.domain, emulator.installToken(), { origin: emulator.origin });
const metafield = (owner: Node, key: string) =>
  JSON.parse((owner.metafields as Node[]).find((m) => m.key === key)!.value);

describe("policy sync: the Functions' validation and discount follow the settings", () => {
  it("creates the validation and the automatic free-shipping discount with the rules the Functions read", async () => {
    const result = await sync.syncPolicy(gateway(), presetSettings("allu"));
    expect(result.created).toEqual({ validation: true, discount: true });
    expect(store.validations).toHaveLength(1);
    const validation = store.validations[0]!;
    expect(validation).toMatchObject({
      enabled: true,
      blockOnFailure: false,
      shopifyFunction: { handle: "one-of-a-kind-validation" },
    });
    expect(metafield(validation, "checkout-rules").inventory.maxUnitsPerVariant).toBe(1);
    expect(metafield(validation, "checkout-rules").shipping.allowedCountries).toEqual(["US"]);
    expect(metafield(validation, "function-input")).toEqual({ oneOfAKindTags: [] });
    const discount = store.discounts[0]!;
    expect(discount.automaticDiscount).toMatchObject({
      title: "Free shipping at $500.00 (SHP-1)",
      discountClasses: ["SHIPPING"],
    });
    // The Function cannot see product or order discounts, so free shipping never stacks with one (SHP-1).
    expect(discount.automaticDiscount.combinesWith).toEqual({
      orderDiscounts: false,
      productDiscounts: false,
      shippingDiscounts: false,
    });
    expect(metafield(discount, "checkout-rules").shipping.freeShippingThreshold).toEqual({
      amount: 50_000,
      currency: "USD",
    });
    // The checkout UI extension reads the same rules from the shop, returns included (RET-3 notice).
    expect(metafield(store.shop, "checkout-rules")).toEqual(metafield(validation, "checkout-rules"));
    expect(metafield(store.shop, "checkout-rules").returns).toEqual({ paymentMethods: "card_only", exchanges: false });
  });

  it("is idempotent and carries settings changes to the Functions' metafields", async () => {
    const settings = presetSettings("allu");
    settings.shipping.freeShippingThreshold = { amount: 75_000, currency: "USD" };
    settings.inventory.oneOfAKind = { scope: "tagged", tag: "one-of-a-kind" };
    const result = await sync.syncPolicy(gateway(), settings);
    expect(result.created).toEqual({ validation: false, discount: false });
    expect(store.validations).toHaveLength(1);
    expect(store.discounts).toHaveLength(1);
    expect(metafield(store.validations[0]!, "function-input")).toEqual({ oneOfAKindTags: ["one-of-a-kind"] });
    expect(metafield(store.discounts[0]!, "checkout-rules").shipping.freeShippingThreshold.amount).toBe(75_000);
    expect(store.discounts[0]!.automaticDiscount.title).toBe("Free shipping at $750.00 (SHP-1)");
    expect(metafield(store.shop, "checkout-rules").shipping.freeShippingThreshold.amount).toBe(75_000);
    expect((store.shop.metafields as Node[]).filter((m) => m.key === "checkout-rules")).toHaveLength(1);
  });

  it("turns off again a combination with order or product discounts made in Shopify's admin", async () => {
    const discount = store.discounts[0]!.automaticDiscount;
    discount.combinesWith = { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false };
    await sync.syncPolicy(gateway(), presetSettings("allu"));
    expect(store.discounts).toHaveLength(1);
    expect(store.discounts[0]!.automaticDiscount.combinesWith).toEqual({
      orderDiscounts: false,
      productDiscounts: false,
      shippingDiscounts: false,
    });
  });

  it("reports Shopify's userErrors when the app's Functions are not deployed", async () => {
    const bare = createStore({ domain: "bare.myshopify.com" });
    const other = await startEmulator({
      store: bare,
      app: { apiKey: "k2", secret: "s", title: "t", handle: "h", appUrl: "http://127.0.0.1:9", functions: [] },
      subscribeFromToml: false,
    });
    try {
      const g = new Gateway(bare.domain, other.installToken(), { origin: other.origin });
      await expect(sync.syncPolicy(g, presetSettings("allu"))).rejects.toThrow(
        /Creating the checkout validation failed: Function not found. \(validation.functionHandle\)/,
      );
      expect(bare.validations).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
