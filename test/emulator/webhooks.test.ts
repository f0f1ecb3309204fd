import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver } from "../support/webhook-receiver";
import { fulfill, placeOrder, trackingEvent } from "./actions/orders";
import { createStore, oneOfAKind, shopper, variantOf } from "./builders";
import { startEmulator } from "./server";
import { signBody, WebhookDelivery } from "./webhooks";

const HERE = dirname(fileURLToPath(import.meta.url));
const SECRET = "app-secret-for-webhooks";
const api = (secret: string) =>
  shopifyApi({
    apiKey: "key",
    apiSecretKey: secret,
    scopes: [],
    hostName: "127.0.0.1",
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    logger: { level: 0 },
  });

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function setup(
  status?: (n: number) => number,
  options: Partial<ConstructorParameters<typeof WebhookDelivery>[1]> = {},
) {
  const receiver = await startReceiver(status);
  const store = createStore();
  const delivery = new WebhookDelivery(store, { secret: SECRET, retryTimeScale: 0.0001, ...options });
  cleanup.push(
    () => delivery.close(),
    () => receiver.close(),
  );
  const customer = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
  const item = oneOfAKind(store, { title: "Watch", priceCents: 60_000 });
  return { receiver, store, delivery, customer, item };
}

describe("emulated webhook delivery", () => {
  it("sends Shopify's headers and a body that verifies against the app's secret, and not against another", async () => {
    const { receiver, store, delivery, customer, item } = await setup();
    delivery.subscribe("orders/create", receiver.url);
    placeOrder(store, { customer, lines: [{ variant: variantOf(item) }], placedAt: new Date("2026-11-20T15:00:00Z") });
    await delivery.idle();
    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(hook!.headers).toMatchObject({
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": "allu-demo.myshopify.com",
      "x-shopify-api-version": "2026-10",
      "x-shopify-triggered-at": "2026-11-20T15:00:00.000Z",
    });
    expect(hook!.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook!.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook!.headers["x-shopify-hmac-sha256"]).toBe(signBody(hook!.body, SECRET));

    const good = await api(SECRET).webhooks.validate({ rawBody: hook!.body, rawRequest: hook!.request });
    expect(good).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: "allu-demo.myshopify.com" });
    const bad = await api("another-secret").webhooks.validate({ rawBody: hook!.body, rawRequest: hook!.request });
    expect(bad.valid).toBe(false);
    const tampered = await api(SECRET).webhooks.validate({
      rawBody: hook!.body.replace(/"600.00"/g, '"1.00"'),
      rawRequest: hook!.request,
    });
    expect(tampered.valid).toBe(false);
  });

  it("shapes payloads like Shopify's own examples, with the store's values", async () => {
    const { receiver, store, delivery, customer, item } = await setup();
    for (const topic of ["orders/create", "fulfillments/create", "fulfillment_events/create"])
      delivery.subscribe(topic, receiver.url);
    const order = placeOrder(store, {
      customer,
      lines: [{ variant: variantOf(item) }],
      placedAt: new Date("2026-11-20T15:00:00Z"),
    });
    const fulfillment = fulfill(store, order, { at: new Date("2026-11-21T15:00:00Z") });
    trackingEvent(store, fulfillment, "DELIVERED", new Date("2026-11-25T18:30:00Z"));
    await delivery.idle();
    const byTopic = Object.fromEntries(
      receiver.received.map((r) => [r.headers["x-shopify-topic"], JSON.parse(r.body)]),
    );
    const example = (name: string) =>
      JSON.parse(readFileSync(join(HERE, `../fixtures/shopify/webhooks/${name}.json`), "utf8"));
    expect(Object.keys(byTopic["orders/create"]).sort()).toEqual(Object.keys(example("orders_create")).sort());
    expect(byTopic["orders/create"]).toMatchObject({
      admin_graphql_api_id: order.id,
      name: "#1001",
      total_price: "600.00",
      financial_status: "paid",
      processed_at: "2026-11-20T15:00:00.000Z",
    });
    expect(byTopic["orders/create"].line_items[0]).toMatchObject({
      price: "600.00",
      quantity: 1,
      variant_id: Number(variantOf(item).id.split("/").pop()),
    });
    expect(Object.keys(byTopic["fulfillments/create"]).sort()).toEqual(
      Object.keys(example("fulfillments_create")).sort(),
    );
    expect(byTopic["fulfillment_events/create"]).toMatchObject({
      status: "delivered",
      happened_at: "2026-11-25T18:30:00.000Z",
      order_id: Number(order.id.split("/").pop()),
    });
  });

  it("retries a failing endpoint on Shopify's schedule with the same webhook id, then gives up after 8 retries", async () => {
    const { receiver, store, delivery, customer, item } = await setup(() => 500);
    delivery.subscribe("orders/create", receiver.url);
    placeOrder(store, { customer, lines: [{ variant: variantOf(item) }] });
    await delivery.idle();
    expect(receiver.received).toHaveLength(9);
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
    expect(delivery.log.map((l) => l.attempt)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("stops retrying once the endpoint answers 200", async () => {
    const { receiver, store, delivery, customer, item } = await setup((n) => (n < 3 ? 503 : 200));
    delivery.subscribe("orders/create", receiver.url);
    placeOrder(store, { customer, lines: [{ variant: variantOf(item) }] });
    await delivery.idle();
    expect(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).toHaveLength(3);
  });

  it("delivers twice on request, with the same webhook id (at least once)", async () => {
    const { receiver, store, delivery, customer, item } = await setup(undefined, { copies: 2 });
    delivery.subscribe("orders/create", receiver.url);
    placeOrder(store, { customer, lines: [{ variant: variantOf(item) }] });
    await delivery.idle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers["x-shopify-webhook-id"]).toBe(
      receiver.received[1]!.headers["x-shopify-webhook-id"],
    );
  });

  it("holds deliveries and releases them out of order", async () => {
    const { receiver, store, delivery, customer, item } = await setup();
    for (const topic of ["orders/create", "fulfillments/create", "fulfillment_events/create"])
      delivery.subscribe(topic, receiver.url);
    delivery.hold();
    const order = placeOrder(store, { customer, lines: [{ variant: variantOf(item) }] });
    const fulfillment = fulfill(store, order);
    trackingEvent(store, fulfillment, "DELIVERED", new Date());
    expect(receiver.received).toHaveLength(0);
    const reversed = (() => {
      let calls = 0;
      return () => (calls++ === 0 ? 0 : 0.999);
    })();
    delivery.release({ shuffle: reversed });
    await delivery.idle();
    const topics = receiver.received.map((r) => r.headers["x-shopify-topic"]);
    expect(topics.sort()).toEqual(["fulfillment_events/create", "fulfillments/create", "orders/create"]);
    expect(receiver.received[0]!.headers["x-shopify-topic"]).not.toBe("orders/create");
  });

  it("sends ready-made compliance payloads", async () => {
    const { receiver, delivery } = await setup();
    delivery.subscribe("customers/redact", receiver.url);
    delivery.sendPayload("customers/redact", {
      shop_domain: "allu-demo.myshopify.com",
      customer: { id: 1, email: "maya@example.com" },
      orders_to_redact: [],
    });
    await delivery.idle();
    expect(JSON.parse(receiver.received[0]!.body).customer.email).toBe("maya@example.com");
  });

  it("sends app/uninstalled and the compliance topics from the emulator, and revokes tokens on uninstall", async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const store = createStore();
    const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
    const emulator = await startEmulator({
      store,
      app: {
        apiKey: "key",
        secret: SECRET,
        title: "Policy Guard",
        handle: "policy-guard",
        appUrl: receiver.url.replace("/webhooks", ""),
      },
    });
    cleanup.push(() => emulator.close());
    const token = emulator.installToken();
    emulator.compliance.customerDataRequest(maya);
    emulator.compliance.customerRedact(maya);
    emulator.compliance.shopRedact();
    emulator.uninstall();
    await emulator.webhooks.idle();
    const topics = receiver.received.map((r) => r.headers["x-shopify-topic"]);
    expect(topics.sort()).toEqual(["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"]);
    const redact = JSON.parse(receiver.received.find((r) => r.headers["x-shopify-topic"] === "customers/redact")!.body);
    expect(redact).toMatchObject({
      shop_domain: "allu-demo.myshopify.com",
      customer: { email: "maya@example.com" },
      orders_to_redact: [],
    });
    expect(
      (
        await api(SECRET).webhooks.validate({
          rawBody: receiver.received[0]!.body,
          rawRequest: receiver.received[0]!.request,
        })
      ).valid,
    ).toBe(true);
    expect((await emulator.graphql("{ shop { name } }", {}, token)).errors).toMatch(/Invalid API key or access token/);
  });
});
