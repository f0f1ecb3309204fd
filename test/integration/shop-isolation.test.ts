import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import { legacyId, type Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const storeA = createStore({ domain: "shop-a.myshopify.com", name: "Shop A" });
const storeB = createStore({ domain: "shop-b.myshopify.com", name: "Shop B" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(storeA, { otherStores: [storeB] });
});
afterAll(() => app.close());

/** A body signed with the app's secret (the same for every shop), delivered as shop A's. */
let sent = 0;
async function deliverAsA(topic: string, payload: unknown): Promise<void> {
  const response = await app.deliver(JSON.stringify(payload), {
    topic,
    shop: storeA.domain,
    webhookId: `forged-${++sent}`,
    triggeredAt: "2026-11-20T12:00:00Z",
  });
  expect(response.status).toBe(200);
}

/** Everything the app holds about shop B, apart from its inbox. */
async function shopBState() {
  const p = app.prisma;
  const shop = storeB.domain;
  return {
    orders: await p.order.findMany({
      where: { shop },
      orderBy: { id: "asc" },
      include: {
        lines: { orderBy: { id: "asc" } },
        events: { orderBy: { id: "asc" } },
        deadlines: { orderBy: { id: "asc" } },
        alerts: { orderBy: { id: "asc" } },
      },
    }),
    // Rows that name B's ids, whichever shop they claim now.
    variants: await p.variantInventory.findMany({ orderBy: { id: "asc" } }),
    exports: await p.dataExport.findMany({ where: { shop }, orderBy: { id: "asc" } }),
  };
}

const T = (iso: string) => new Date(iso);

describe("shop isolation: a signed event of shop A naming shop B's ids changes nothing of B", () => {
  it("leaves B's orders, timelines, stock, variants and customers as they were", async () => {
    // Shop A has an order of its own; shop B a delivered order with an approved return and label, and a paid one.
    const alice = shopper(storeA, { firstName: "Alice", lastName: "A", email: "alice@example.com" });
    orderAt(storeA, {
      customer: alice,
      items: [oneOfAKind(storeA, { title: "A ring", priceCents: 30_000 })],
      stage: "paid",
      placedAt: T("2026-11-02T15:00:00Z"),
    });
    const bea = shopper(storeB, { firstName: "Bea", lastName: "B", email: "bea@example.com" });
    const bag = oneOfAKind(storeB, { title: "B bag", priceCents: 50_000 });
    const returned = orderAt(storeB, {
      customer: bea,
      items: [bag],
      stage: "return_approved",
      placedAt: T("2026-11-02T15:00:00Z"),
    });
    const watch = oneOfAKind(storeB, { title: "B watch", priceCents: 80_000 });
    const paid = orderAt(storeB, {
      customer: bea,
      items: [watch],
      stage: "paid",
      placedAt: T("2026-11-05T15:00:00Z"),
    });
    for (const store of [storeA, storeB]) await app.emulatorOf(store.domain).webhooks.idle();
    await app.drain(T("2026-11-12T12:00:00Z"));

    const before = await shopBState();
    expect(before.orders.map((o) => o.id).sort()).toEqual([returned.id, paid.id].sort());
    expect(before.variants.filter((v) => v.shop === storeB.domain)).toHaveLength(2);
    const ret: Node = storeB.returns[0]!;
    const reverseDelivery: Node = ret.reverseFulfillmentOrders[0].reverseDeliveries[0];
    expect(before.orders.find((o) => o.id === returned.id)!.events.map((e) => e.kind)).toContain("label_issued");

    // Shop A's deliveries, validly signed, naming B's orders, variants, inventory items, return and customer.
    const paidId = legacyId(paid.id);
    const fulfillmentGid = "gid://shopify/Fulfillment/9000000000001";
    await deliverAsA("orders/updated", {
      ...JSON.parse(
        (await app.prisma.webhookEvent.findFirstOrThrow({ where: { shop: storeB.domain, subject: paid.id } })).body,
      ),
      updated_at: "2026-11-19T10:00:00Z",
      cancelled_at: "2026-11-19T10:00:00Z",
      financial_status: "refunded",
    });
    await deliverAsA("fulfillments/create", {
      id: 9000000000001,
      admin_graphql_api_id: fulfillmentGid,
      order_id: paidId,
      status: "success",
      shipment_status: "delivered",
      created_at: "2026-11-19T10:00:00Z",
      updated_at: "2026-11-19T11:00:00Z",
    });
    await deliverAsA("fulfillment_events/create", {
      id: 9000000000002,
      admin_graphql_api_id: "gid://shopify/FulfillmentEvent/9000000000002",
      fulfillment_id: 9000000000001,
      order_id: paidId,
      status: "delivered",
      happened_at: "2026-11-19T12:00:00Z",
    });
    await deliverAsA("refunds/create", {
      id: 9000000000003,
      admin_graphql_api_id: "gid://shopify/Refund/9000000000003",
      order_id: paidId,
      created_at: "2026-11-19T10:00:00Z",
    });
    await deliverAsA("returns/request", {
      id: 9000000000004,
      admin_graphql_api_id: "gid://shopify/Return/9000000000004",
      status: "requested",
      order: { id: paidId, admin_graphql_api_id: paid.id },
    });
    await deliverAsA("reverse_deliveries/attach_deliverable", {
      id: 9000000000005,
      admin_graphql_api_id: "gid://shopify/ReverseDelivery/9000000000005",
      return: { id: legacyId(ret.id), admin_graphql_api_id: ret.id },
      shipping_deliverable: { label: { created_at: "2026-11-19T10:00:00Z" } },
    });
    expect(reverseDelivery.id).not.toBe("gid://shopify/ReverseDelivery/9000000000005");
    await deliverAsA("products/update", {
      id: legacyId(watch.id),
      admin_graphql_api_id: watch.id,
      title: "Taken over",
      tags: "",
      updated_at: "2026-11-19T10:00:00Z",
      variants: [
        {
          id: legacyId(variantOf(watch).id),
          admin_graphql_api_id: variantOf(watch).id,
          title: "Moved",
          inventory_item_id: legacyId(variantOf(watch).inventoryItem.id),
          inventory_management: "shopify",
          inventory_policy: "continue",
          inventory_quantity: 9,
        },
      ],
    });
    await deliverAsA("inventory_levels/update", {
      inventory_item_id: legacyId(variantOf(bag).inventoryItem.id),
      location_id: legacyId(storeB.primaryLocation.id),
      available: 42,
      updated_at: "2026-11-19T10:00:00Z",
    });
    await deliverAsA("customers/redact", {
      shop_id: legacyId(storeA.shop.id),
      shop_domain: storeA.domain,
      customer: { id: legacyId(bea.id), email: "someone-else@example.com", phone: null },
      orders_to_redact: [legacyId(returned.id)],
    });
    // Drained until nothing is due now; what failed waits for retries that change nothing of B either.
    await app.drain(T("2026-11-20T12:00:00Z"));
    await app.prisma.webhookEvent.updateMany({
      where: { webhookId: { startsWith: "forged-" }, status: "pending" },
      data: { nextAttemptAt: new Date(0) },
    });
    await app.drain(T("2026-11-20T12:00:00Z"));

    const after = await shopBState();
    const summary = (state: typeof before) => ({
      orders: state.orders.map((o) => [o.id, o.shop, o.state, o.cancelledAt, o.events.map((e) => e.kind).join(",")]),
      variants: state.variants.map((v) => [v.id, v.shop, v.available, v.productTitle]),
    });
    expect(summary(after)).toEqual(summary(before));
    expect(after).toEqual(before);
    // Shop A's own order is untouched too.
    expect(await app.prisma.order.count({ where: { shop: storeA.domain } })).toBe(1);
  });

  it("refuses, inside the transaction, to read or write another shop's order through a shop's view", async () => {
    const { OrderCache } = await import("../../app/services/orders/order-cache.server");
    const { RefusedEvent } = await import("../../app/services/inbox/webhook-errors.server");
    const bOrder = await app.prisma.order.findFirstOrThrow({ where: { shop: storeB.domain } });
    await app.prisma.$transaction(async (tx) => {
      const cache = new OrderCache(tx);
      await cache.load([bOrder.id]);
      const asA = cache.forShop(storeA.domain);
      await expect(asA.get(bOrder.id)).rejects.toThrow(RefusedEvent);
      await expect(asA.require(bOrder.id)).rejects.toThrow(`order ${bOrder.id} is not an order of ${storeA.domain}`);
      expect(asA.peek(bOrder.id)).toBeUndefined();
      const order = {
        id: "gid://shopify/Order/1",
        shop: storeB.domain,
        name: "#1",
        processedAt: new Date(0),
        shopifyUpdatedAt: new Date(0),
        currency: "USD",
        subtotalCents: 0,
        shippingCents: 0,
        totalCents: 0,
      };
      await expect(asA.createOrder(order)).rejects.toThrow(RefusedEvent);
      expect((await cache.forShop(storeB.domain).get(bOrder.id))?.id).toBe(bOrder.id);
    });
  });
});
