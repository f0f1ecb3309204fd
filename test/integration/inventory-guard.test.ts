import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, variantOf } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";
import type * as Guard from "../../app/services/inventory/inventory-guard.server";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
let guard: typeof Guard;
beforeAll(async () => {
  app = await startAppHarness(store);
  guard = await import("../../app/services/inventory/inventory-guard.server");
});
afterAll(() => app.close());

describe("inventory guard (INV-2) and oversell flag (INV-3)", () => {
  it("finds one-of-a-kind variants that can be oversold and fixes them in one click", async () => {
    oneOfAKind(store, { title: "Fine watch", priceCents: 100_000 });
    const untracked = oneOfAKind(store, { title: "Untracked bag", priceCents: 90_000, inventory: { tracked: false } });
    const backorder = oneOfAKind(store, {
      title: "Back-ordered ring",
      priceCents: 50_000,
      inventory: { policy: "CONTINUE", available: 3 },
    });
    const settings = presetSettings("allu");
    const gateway = await app.gateway(store.domain);
    await guard.refreshInventoryFacts(app.prisma, gateway);
    const broken = await guard.auditInventory(app.prisma, store.domain, settings);
    expect(broken.map((v) => [v.variantId, v.findings.map((f) => f.code)])).toEqual([
      [variantOf(untracked).id, ["NOT_TRACKED"]],
      [variantOf(backorder).id, ["OVERSELLING_ALLOWED", "TOO_MANY_AVAILABLE"]],
    ]);
    expect(await guard.fixInventory(gateway, broken, settings)).toEqual([]);
    expect(variantOf(untracked).inventoryItem.tracked).toBe(true);
    expect(variantOf(backorder).inventoryPolicy).toBe("DENY");
    expect(variantOf(backorder).inventoryItem.inventoryLevels[0]._quantities.available).toBe(1);
    await guard.refreshInventoryFacts(app.prisma, gateway);
    expect(await guard.auditInventory(app.prisma, store.domain, settings)).toEqual([]);
  });

  it("re-checks from products/update webhooks, which carry the titles and the image too", async () => {
    const item = oneOfAKind(store, {
      title: "Scarf",
      priceCents: 30_000,
      imageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/files/scarf.jpg",
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    const gql = await app.emulator.graphql(
      `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { message } } }`,
      { p: item.id, v: [{ id: variantOf(item).id, inventoryPolicy: "CONTINUE" }] },
    );
    expect(gql.data.productVariantsBulkUpdate.userErrors).toEqual([]);
    await app.emulator.webhooks.idle();
    await app.drain();
    const broken = await guard.auditInventory(app.prisma, store.domain, presetSettings("allu"));
    const scarf = broken.find((v) => v.variantId === variantOf(item).id);
    expect(scarf?.findings.map((f) => f.code)).toEqual(["OVERSELLING_ALLOWED"]);
    expect(scarf).toMatchObject({
      productTitle: "Scarf",
      variantTitle: "Default Title",
      imageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/files/scarf.jpg",
      productAdminUrl: `shopify://admin/products/${item.id.split("/").pop()}`,
    });
  });

  it("flags the later of two orders for the same one-of-a-kind variant as oversold", async () => {
    const watch = oneOfAKind(store, { title: "Last watch", priceCents: 70_000 });
    placeOrder(store, { lines: [{ variant: variantOf(watch) }], placedAt: new Date("2026-11-10T15:00:00Z") });
    const second = placeOrder(store, {
      lines: [{ variant: variantOf(watch) }],
      placedAt: new Date("2026-11-10T15:00:05Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    const alerts = await app.prisma.orderAlert.findMany({ where: { kind: "oversold" } });
    expect(alerts.map((a) => [a.orderId, a.rule])).toEqual([[second.id, "INV-3"]]);
  });
});
