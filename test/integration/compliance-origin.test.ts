import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { legacyId } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore({ domain: "shop-a.myshopify.com" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

let sent = 0;
/** Resend a signed body with headers of our choosing: Shopify's HMAC covers the body only. */
async function deliver(topic: string, body: string) {
  const webhookId = `resent-${++sent}`;
  const response = await app.deliver(body, { topic, shop: store.domain, webhookId });
  return { response, webhookId };
}

const holdings = async () => {
  const p = app.prisma;
  return {
    orders: await p.order.count({ where: { shop: store.domain } }),
    variants: await p.variantInventory.count({ where: { shop: store.domain } }),
    events: await p.orderEvent.count(),
    inbox: await p.webhookEvent.count({ where: { shop: store.domain, NOT: { webhookId: { startsWith: "resent-" } } } }),
  };
};

describe("compliance requests act only on the shop their own signed payload names", () => {
  it("refuses a shop/redact or customers/redact whose payload is not the delivering shop's", async () => {
    const sofia = shopper(store, { firstName: "Sofia", lastName: "Rossi", email: "sofia@example.com" });
    orderAt(store, {
      customer: sofia,
      items: [oneOfAKind(store, { title: "Ring", priceCents: 40_000 })],
      stage: "delivered",
      placedAt: new Date("2026-11-02T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    const before = await holdings();
    expect(before.orders).toBe(1);
    expect(before.variants).toBe(1);

    // A products/create body Shopify signed for this shop, resent as shop/redact.
    const product = await app.prisma.webhookEvent.findFirstOrThrow({
      where: { shop: store.domain, topic: "products/create" },
    });
    const asShopRedact = await deliver("shop/redact", product.body);
    // Another shop's genuine shop/redact and customers/redact, resent under this shop's domain.
    const otherShop = { shop_id: 7001, shop_domain: "shop-b.myshopify.com" };
    const otherShopRedact = await deliver("shop/redact", JSON.stringify(otherShop));
    const otherCustomerRedact = await deliver(
      "customers/redact",
      JSON.stringify({
        ...otherShop,
        customer: { id: legacyId(sofia.id), email: "sofia@example.com", phone: null },
        orders_to_redact: [],
      }),
    );
    for (const { response } of [asShopRedact, otherShopRedact, otherCustomerRedact]) expect(response.status).toBe(200);
    await app.drain();

    expect(await holdings()).toEqual(before);
    const refused = await app.prisma.webhookEvent.findMany({
      where: { webhookId: { in: [asShopRedact, otherShopRedact, otherCustomerRedact].map((d) => d.webhookId) } },
      orderBy: { webhookId: "asc" },
    });
    expect(refused.map((e) => e.status)).not.toContain("done");
    expect(refused.map((e) => e.lastError?.split("\n")[0])).toEqual([
      expect.stringMatching(/shop_domain/),
      expect.stringMatching(/shop_domain "shop-b\.myshopify\.com" is not shop-a\.myshopify\.com/),
      expect.stringMatching(/shop_domain "shop-b\.myshopify\.com" is not shop-a\.myshopify\.com/),
    ]);
  });

  it("still applies a shop/redact whose payload names the delivering shop", async () => {
    const { response } = await deliver(
      "shop/redact",
      JSON.stringify({ shop_id: legacyId(store.shop.id), shop_domain: store.domain }),
    );
    expect(response.status).toBe(200);
    await app.drain();
    expect((await holdings()).orders).toBe(0);
  });

  it("does not accept the app's internal topics from outside", async () => {
    const body = JSON.stringify({ id: "gid://shopify/Order/1", name: "#1" });
    const before = await app.prisma.webhookEvent.count();
    const { response } = await deliver("reconcile/order", body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/reconcile\/order/);
    expect(await app.prisma.webhookEvent.count()).toBe(before);
  });
});
