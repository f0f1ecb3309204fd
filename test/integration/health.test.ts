import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { presetSettings, type PolicySettings } from "../../app/policy";
import type { HealthCheck, HealthCheckId } from "../../app/policy/health";
import { createStore } from "../emulator/builders";
import { setDeliveryProfile } from "../emulator/actions/shipping";
import {
  addZone,
  addZoneCountry,
  changeDeliveryRate,
  disableValidation,
  editRulesMetafield,
  removeZoneCountry,
} from "../emulator/actions/health";
import type { EmulatedStore, Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import type * as HealthModule from "../../app/services/shops/health.server";
import type * as FixesModule from "../../app/services/shops/health-fixes.server";
import type * as SyncModule from "../../app/services/checkout/policy-sync.server";

type Harness = Awaited<ReturnType<typeof startAppHarness>>;
let app: Harness;
let store: EmulatedStore;
let health: typeof HealthModule;
let fixes: typeof FixesModule;
let sync: typeof SyncModule;
let settings: PolicySettings;
const NOW = new Date("2026-12-02T15:00:00Z");

beforeAll(async () => {
  store = createStore();
  setDeliveryProfile(store, {
    countries: ["US"],
    rates: [
      { name: "Standard (FedEx)", priceCents: 2_000 },
      { name: "Free shipping", priceCents: 0, minTotalCents: 50_000 },
    ],
  });
  app = await startAppHarness(store);
  // Every test reads the shop several times; the checks' throttling is not under test here.
  app.emulator.throttle.configure({ maximumAvailable: 200_000, restoreRate: 20_000 });
  health = await import("../../app/services/shops/health.server");
  fixes = await import("../../app/services/shops/health-fixes.server");
  sync = await import("../../app/services/checkout/policy-sync.server");
  const inventory = await import("../../app/services/inventory/inventory-guard.server");
  const gateway = await app.gateway(store.domain);
  settings = presetSettings("allu");
  // The shop as installed: policy synced, inventory audited, orders reconciled.
  await sync.syncPolicy(gateway, settings, NOW);
  await inventory.runInventoryAudit(app.prisma, gateway, () => NOW);
  await app.prisma.syncState.create({
    data: { shop: store.domain, ordersSyncedAt: new Date(NOW.getTime() - 5 * 60_000) },
  });
});
afterAll(() => app.close());

const check = async (id: HealthCheckId, with_ = settings): Promise<HealthCheck> => {
  const report = await health.checkHealth(app.prisma, await app.gateway(store.domain), with_, NOW);
  return report.checks.find((c) => c.id === id)!;
};
const fix = async (id: HealthCheckId, with_ = settings) =>
  fixes.fixHealth(app.prisma, await app.gateway(store.domain), with_, id, NOW);

describe("health checks against the store emulator", () => {
  beforeEach(async () => {
    // Each test starts from the healthy shop.
    const report = await health.checkHealth(app.prisma, await app.gateway(store.domain), settings, NOW);
    expect(report.checks.filter((c) => c.state !== "ok").map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
  });

  it("a healthy shop: every check ok, each saying what it found", async () => {
    const report = await health.checkHealth(app.prisma, await app.gateway(store.domain), settings, NOW);
    expect(report.checks.map((c) => c.id)).toEqual([
      "validation",
      "discount",
      "checkout-rules",
      "delivery-rate",
      "delivery-zones",
      "webhooks",
      "native-returns",
      "inventory",
      "reconciliation",
      "dead-letters",
      "fulfillment-audit",
    ]);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.summary]));
    expect(byId["delivery-rate"]).toBe("Below the threshold every zone charges $20.00.");
    expect(byId["delivery-zones"]).toBe("Every zone ships within US.");
    expect(byId["native-returns"]).toMatch(/cannot be read through the Admin API; the safety net is on/);
    expect(byId.reconciliation).toMatch(/^Last successful reconciliation 5 minutes ago/);
  });

  it("SHP-2: the flat rate changed in Shopify is drift; the fix sets it back through deliveryProfileUpdate", async () => {
    const method = changeDeliveryRate(store, 2_500);
    const drift = await check("delivery-rate");
    expect(drift).toMatchObject({ state: "drift", fix: { label: "Set the rate to $20.00" } });
    expect(drift.details).toEqual([
      'Rate "Standard (FedEx) (US)" charges $25.00; the policy\'s flat rate is $20.00.',
      "No $20.00 flat rate ships to US.",
    ]);
    expect(await fix("delivery-rate")).toBe("1 rate set to the flat rate.");
    expect(method.rateProvider.price).toEqual({ amount: "20.00", currencyCode: "USD" });
    expect((await check("delivery-rate")).state).toBe("ok");
    // A second click finds nothing to send.
    await expect(fix("delivery-rate")).rejects.toMatchObject({ code: "NO_FIX" });
  });

  it("SHP-2: no rate below the threshold at all is missing; the fix adds the flat rate to the zone", async () => {
    const zone = (store.deliveryProfiles[0]!.profileLocationGroups as Node[])[0]!.locationGroupZones[0] as Node;
    const saved = zone.methodDefinitions;
    zone.methodDefinitions = (saved as Node[]).filter((m) => (m.methodConditions as Node[]).length > 0);
    try {
      expect(await check("delivery-rate")).toMatchObject({
        state: "missing",
        details: ["No $20.00 flat rate ships to US."],
      });
      await fix("delivery-rate");
      const created = (zone.methodDefinitions as Node[]).find((m) => m.name === "Standard")!;
      expect(created.rateProvider.price).toEqual({ amount: "20.00", currencyCode: "USD" });
      expect((await check("delivery-rate")).state).toBe("ok");
    } finally {
      zone.methodDefinitions = saved;
    }
  });

  it("SHP-3: a zone of only foreign countries is drift and the fix deletes it", async () => {
    addZone(store, ["CA", "MX"], 4_500);
    const drift = await check("delivery-zones");
    expect(drift).toMatchObject({ state: "drift", fix: { label: "Delete the zone" } });
    expect(drift.details).toEqual(['Zone "CA, MX" ships only outside the policy (CA, MX): it can be deleted.']);
    expect(await fix("delivery-zones")).toBe("1 zone outside the allowed countries deleted.");
    expect((await check("delivery-zones")).state).toBe("ok");
    expect(await check("delivery-rate")).toMatchObject({ state: "ok" });
  });

  it("SHP-3: a foreign country added to the domestic zone is drift the Admin API cannot undo: it says where to act", async () => {
    addZoneCountry(store, "CA");
    try {
      const drift = await check("delivery-zones");
      expect(drift.state).toBe("drift");
      expect(drift.fix).toBeNull();
      expect(drift.details[0]).toMatch(/Zone "US" also ships to CA: remove them in Shopify's admin/);
      expect(drift.link).toEqual({ label: "Open shipping settings", url: "shopify://admin/settings/shipping" });
      await expect(fix("delivery-zones")).rejects.toMatchObject({ code: "NO_FIX" });
    } finally {
      removeZoneCountry(store, "CA");
    }
  });

  it("the validation turned off in Shopify is drift; policy sync turns it on again", async () => {
    disableValidation(store);
    expect(await check("validation")).toMatchObject({ state: "drift", fix: { label: "Turn it on (policy sync)" } });
    await fix("validation");
    expect(store.validations[0]!.enabled).toBe(true);
    expect((await check("validation")).state).toBe("ok");
  });

  it("a deleted validation is missing; the fix creates it", async () => {
    const [validation] = store.validations.splice(0, 1);
    expect(await check("validation")).toMatchObject({ state: "missing", fix: { label: "Run policy sync" } });
    await fix("validation");
    expect(store.validations).toHaveLength(1);
    expect(store.validations[0]!.id).not.toBe(validation!.id);
  });

  it("the checkout-rules metafield edited in Shopify, or settings saved without a sync, is drift; sync fixes both", async () => {
    editRulesMetafield(store.validations[0]!, (rules) => (rules.inventory.maxUnitsPerVariant = 3));
    const edited = await check("checkout-rules");
    expect(edited.state).toBe("drift");
    expect(edited.details).toEqual(["the validation differs from the saved settings at inventory.maxUnitsPerVariant"]);
    await fix("checkout-rules");
    expect((await check("checkout-rules")).state).toBe("ok");

    const saved = presetSettings("allu");
    saved.shipping.freeShippingThreshold = { amount: 75_000, currency: "USD" };
    const stale = await check("checkout-rules", saved);
    expect(stale.details).toEqual([
      "the validation differs from the saved settings at shipping.freeShippingThreshold.amount",
      "the discount differs from the saved settings at shipping.freeShippingThreshold.amount",
      "the shop (checkout notices) differs from the saved settings at shipping.freeShippingThreshold.amount",
    ]);
    await fix("checkout-rules", saved);
    expect((await check("checkout-rules", saved)).state).toBe("ok");
    await fix("checkout-rules"); // back to the suite's settings
  });

  it("a shop-scoped webhook subscription beside shopify.app.toml is drift; the fix deletes it", async () => {
    const created = await app.emulator.graphql(
      `mutation { webhookSubscriptionCreate(topic: CARTS_CREATE, webhookSubscription: { uri: "https://elsewhere.example.com/hooks" }) { webhookSubscription { id } userErrors { message } } }`,
    );
    expect(created.data.webhookSubscriptionCreate.userErrors).toEqual([]);
    const drift = await check("webhooks");
    expect(drift.state).toBe("drift");
    expect(drift.details[0]).toBe(
      "CARTS_CREATE to https://elsewhere.example.com/hooks is not declared in shopify.app.toml",
    );
    // What the Admin API cannot tell: the app-scoped (toml) subscriptions are not listed.
    expect(drift.details[1]).toMatch(/^\d+ topics of shopify.app.toml are app-scoped/);
    expect(await fix("webhooks")).toBe("1 shop-scoped subscription deleted.");
    expect((await check("webhooks")).state).toBe("ok");
  });

  it("the safety net off: native returns cannot be read, so the state is unknown with why", async () => {
    const off = presetSettings("allu");
    off.returns.declineIneligibleNative = false;
    expect(await check("native-returns", off)).toMatchObject({
      state: "unknown",
      summary: expect.stringMatching(/cannot be read through the Admin API; the safety net is off/),
    });
  });

  it("a reconciliation older than an hour is drift; reconcile now brings it up to date", async () => {
    await app.prisma.syncState.update({
      where: { shop: store.domain },
      data: { ordersSyncedAt: new Date(NOW.getTime() - 3 * 3_600_000) },
    });
    expect(await check("reconciliation")).toMatchObject({ state: "drift", fix: { label: "Reconcile now" } });
    await fix("reconciliation");
    expect(await check("reconciliation")).toMatchObject({
      state: "ok",
      summary: expect.stringMatching(/^Last successful reconciliation 0 minutes ago/),
    });
  });

  it("dead letters are counted", async () => {
    const event = await app.prisma.webhookEvent.create({
      data: { webhookId: "dead-1", shop: store.domain, topic: "orders/create", body: "{}", status: "dead" },
    });
    try {
      expect(await check("dead-letters")).toMatchObject({
        state: "drift",
        summary: "1 dead letter: replay them from Webhooks.",
      });
    } finally {
      await app.prisma.webhookEvent.delete({ where: { id: event.id } });
    }
  });

  it("an unsafe one-of-a-kind variant is counted from the inventory guard's audit", async () => {
    await app.prisma.variantInventory.create({
      data: {
        id: "gid://shopify/ProductVariant/1",
        shop: store.domain,
        productId: "gid://shopify/Product/1",
        productTags: "[]",
        tracked: false,
        inventoryPolicy: "CONTINUE",
        available: 2,
        shopifyUpdatedAt: NOW,
        productTitle: "Gucci bag",
      },
    });
    try {
      expect(await check("inventory")).toMatchObject({ state: "drift", summary: "1 variant can be oversold." });
    } finally {
      await app.prisma.variantInventory.delete({ where: { id: "gid://shopify/ProductVariant/1" } });
    }
  });
});

describe("health when Shopify cannot be asked", () => {
  it("says unknown with the reason for every Shopify check, and still reports the app's own", async () => {
    const { AdminGateway } = await import("../../app/services/shopify/admin-gateway.server");
    const refused = new AdminGateway(store.domain, "not-a-token", { origin: app.emulator.origin, maxAttempts: 1 });
    const report = await health.checkHealth(app.prisma, refused, settings, NOW);
    const shopify = report.checks.slice(0, 6);
    expect(shopify.every((c) => c.state === "unknown" && c.summary.startsWith("Could not ask Shopify:"))).toBe(true);
    expect(report.checks.find((c) => c.id === "dead-letters")!.state).toBe("ok");
  });
});
