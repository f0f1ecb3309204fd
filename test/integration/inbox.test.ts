import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import { APP_SECRET, startAppHarness } from "../support/app-harness";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

const sign = (body: string, secret = APP_SECRET) => createHmac("sha256", secret).update(body).digest("base64");
const post = (body: string, headers: Record<string, string>) =>
  fetch(`${app.appUrl}/webhooks`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
const shopifyHeaders = (body: string, id: string, topic = "orders/create") => ({
  "x-shopify-topic": topic,
  "x-shopify-shop-domain": store.domain,
  "x-shopify-webhook-id": id,
  "x-shopify-hmac-sha256": sign(body),
});

describe("webhook ingestion", () => {
  it("refuses forged, missing and stale HMACs with 401 and stores nothing, compliance topics included", async () => {
    const body = JSON.stringify({ shop_domain: store.domain, customer: { id: 1, email: "x@example.com" } });
    const before = await app.prisma.webhookEvent.count();
    const forged = await post(body, {
      ...shopifyHeaders(body, "w-forged", "customers/redact"),
      "x-shopify-hmac-sha256": sign(body, "attacker"),
    });
    const { "x-shopify-hmac-sha256": _omit, ...unsigned } = shopifyHeaders(body, "w-missing", "customers/redact");
    const missing = await post(body, unsigned);
    const stale = await post(body, {
      ...shopifyHeaders(body, "w-stale", "shop/redact"),
      "x-shopify-hmac-sha256": sign(JSON.stringify({ shop_domain: "old" })),
    });
    expect([forged.status, missing.status, stale.status]).toEqual([401, 401, 401]);
    expect(await forged.text()).toMatch(/Hmac/);
    expect(await app.prisma.webhookEvent.count()).toBe(before);
  });

  it("answers 400 to a validly signed body that is not JSON, storing nothing", async () => {
    const before = await app.prisma.webhookEvent.count();
    const response = await post("{not json", shopifyHeaders("{not json", "w-garbage"));
    expect(response.status).toBe(400);
    expect(await app.prisma.webhookEvent.count()).toBe(before);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const body = "{}";
    const response = await post(body, { "x-shopify-hmac-sha256": sign(body) });
    expect(response.status).toBe(400);
  });

  it("stores a delivery once: a redelivery with the same webhook id is a no-op 200", async () => {
    const body = JSON.stringify({ id: 1 });
    const first = await post(body, shopifyHeaders(body, "w-once", "app/scopes_update"));
    const again = await post(body, shopifyHeaders(body, "w-once", "app/scopes_update"));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await app.prisma.webhookEvent.count({ where: { webhookId: "w-once" } })).toBe(1);
  });

  it("records which order an event is about, so one worker holds all of an order's events", async () => {
    const refund = '{"id": 9, "order_id": 820982911946154508, "created_at": "2026-11-01T10:00:00Z"}';
    const order = JSON.stringify({ id: 5, admin_graphql_api_id: "gid://shopify/Order/5" });
    await post(refund, shopifyHeaders(refund, "w-refund-subject", "refunds/create"));
    await post(order, shopifyHeaders(order, "w-order-subject", "orders/updated"));
    const subjects = await app.prisma.webhookEvent.findMany({
      where: { webhookId: { in: ["w-refund-subject", "w-order-subject", "w-once"] } },
      orderBy: { webhookId: "asc" },
      select: { webhookId: true, subject: true },
    });
    expect(subjects).toEqual([
      { webhookId: "w-once", subject: null },
      { webhookId: "w-order-subject", subject: "gid://shopify/Order/5" },
      // Past 2^53: read from the raw body, not the parsed number.
      { webhookId: "w-refund-subject", subject: "gid://shopify/Order/820982911946154508" },
    ]);
    await app.prisma.webhookEvent.deleteMany({ where: { webhookId: { in: ["w-refund-subject", "w-order-subject"] } } });
  });
});

describe("webhook processing: retries, dead letters, replay", () => {
  it("retries a failing event with backoff, dead-letters it with its error, and replays it", async () => {
    const body = JSON.stringify({
      admin_graphql_api_id: "gid://shopify/ReverseDelivery/1",
      return: { admin_graphql_api_id: "gid://shopify/Return/404" },
    });
    await app.inbox.enqueue(app.prisma, {
      webhookId: "w-orphan",
      shop: store.domain,
      topic: "reverse_deliveries/attach_deliverable",
      body,
    });
    await app.drain();
    let row = await app.prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "w-orphan" } });
    // Young, it waits for its return without using up an attempt (delivery order is not its fault)...
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(row.lastError).toMatch(/Return\/404 is not known yet/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // ...and once it has waited longer than a return ever takes to arrive, each failure counts.
    const { WAIT_FOR_RETURN_MS } = await import("../../app/services/returns/return-webhooks.server");
    await app.prisma.webhookEvent.update({
      where: { webhookId: "w-orphan" },
      data: { receivedAt: new Date(Date.now() - WAIT_FOR_RETURN_MS - 60_000), nextAttemptAt: new Date(0) },
    });
    await app.drain();
    row = await app.prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "w-orphan" } });
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toMatch(/Return\/404 is not known yet \(waited since/);
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // Fast-forward through the remaining attempts.
    for (let i = 1; i < app.inbox.MAX_ATTEMPTS; i++) {
      await app.prisma.webhookEvent.update({ where: { webhookId: "w-orphan" }, data: { nextAttemptAt: new Date(0) } });
      await app.drain();
    }
    row = await app.prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "w-orphan" } });
    expect(row).toMatchObject({ status: "dead", attempts: app.inbox.MAX_ATTEMPTS });
    expect((await app.inbox.deadLetters(app.prisma, store.domain)).map((e) => e.webhookId)).toEqual(["w-orphan"]);
    expect(await app.inbox.replay(app.prisma, [row.id])).toBe(1);
    expect(await app.prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "w-orphan" } })).toMatchObject({
      status: "pending",
      attempts: 0,
    });
    await app.prisma.webhookEvent.delete({ where: { webhookId: "w-orphan" } });
  });

  it("backs off exponentially", () => {
    expect([1, 2, 3, 4].map(app.inbox.retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(app.inbox.retryDelayMs(20)).toBe(15 * 60_000);
  });
});

describe("reconciliation", () => {
  it("heals missed deliveries and is idempotent with webhooks", async () => {
    const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
    const watch = oneOfAKind(store, { title: "Missed watch", priceCents: 80_000 });
    const order = orderAt(store, {
      customer: maya,
      items: [watch],
      stage: "delivered",
      payment: "card",
      placedAt: new Date("2026-11-10T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    // Every webhook about this order was lost.
    await app.prisma.webhookEvent.deleteMany({ where: { body: { contains: order.id.split("/").pop()! } } });
    const gateway = await app.gateway(store.domain);
    const { reconcileOrders } = await import("../../app/services/orders/reconcile.server");
    expect(await reconcileOrders(app.prisma, gateway)).toBeGreaterThan(0);
    await app.drain();
    const events = await app.prisma.orderEvent.findMany({
      where: { orderId: order.id },
      orderBy: [{ occurredAt: "asc" }, { kind: "asc" }],
    });
    expect(events.map((e) => e.kind)).toEqual(["paid", "placed", "processing", "shipped", "delivered"]);
    expect(events.at(-1)!.occurredAt).toEqual(new Date(order.fulfillments[0].deliveredAt));
    expect(await reconcileOrders(app.prisma, gateway)).toBe(0);
    // A later webhook for the same order adds nothing twice.
    placeOrder(store, { lines: [{ variant: variantOf(oneOfAKind(store, { title: "Other", priceCents: 100 })) }] });
    await app.emulator.webhooks.idle();
    await app.drain();
    expect(await app.prisma.orderEvent.count({ where: { orderId: order.id } })).toBe(5);
  });
});
