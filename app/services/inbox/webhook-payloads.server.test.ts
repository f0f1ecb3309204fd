import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PAYLOADS, parseJsonExact, parsePayload } from "./webhook-payloads.server";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/shopify/webhooks");
const fixture = (name: string) =>
  readFileSync(join(FIXTURES, `${name}.json`), "utf8").replaceAll("{shop}", "allu-demo");

describe("parseJsonExact", () => {
  it("keeps integers beyond 2^53 as their digits and leaves everything else as JSON.parse reads it", () => {
    const text =
      '{"order_id": 820982911946154508, "n": -9007199254740993, "safe": 9007199254740991, "price": 1234567890123456.5, ' +
      '"e": 1234567890123456e2, "s": "12345678901234567890", "esc": "a\\"12345678901234567890", "list": [1, 99999999999999999]}';
    expect(parseJsonExact(text)).toEqual({
      order_id: "820982911946154508",
      n: "-9007199254740993",
      safe: 9007199254740991,
      price: 1234567890123456.5,
      e: 1234567890123456e2,
      s: "12345678901234567890",
      esc: 'a"12345678901234567890',
      list: [1, "99999999999999999"],
    });
    expect(parseJsonExact('{"a": 1.5, "b": [true, null]}')).toEqual({ a: 1.5, b: [true, null] });
  });
});

describe("webhook payload schemas", () => {
  const cases: Array<[string, string, keyof typeof PAYLOADS]> = [
    ["orders_create", "orders/create", "orders"],
    ["orders_updated", "orders/updated", "orders"],
    ["orders_paid", "orders/paid", "orders"],
    ["orders_cancelled", "orders/cancelled", "orders"],
    ["fulfillments_create", "fulfillments/create", "fulfillment"],
    ["fulfillments_update", "fulfillments/update", "fulfillment"],
    ["fulfillment_events_create", "fulfillment_events/create", "fulfillmentEventStatus"],
    ["refunds_create", "refunds/create", "refund"],
    ["returns_request", "returns/request", "return"],
    ["returns_close", "returns/process", "return"],
    ["products_update", "products/update", "product"],
    ["customers_data_request", "customers/data_request", "dataRequest"],
    ["customers_redact", "customers/redact", "customerRedact"],
    ["shop_redact", "shop/redact", "shopRedact"],
  ];

  it.each(cases)("accepts Shopify's example %s", (name, topic, schema) => {
    expect(() => parsePayload(topic, fixture(name), PAYLOADS[schema])).not.toThrow();
  });

  it("reads ids exactly, whatever their size", () => {
    const body = fixture("refunds_create").replace('"order_id": 820982911946154500', '"order_id": 820982911946154508');
    expect(parsePayload("refunds/create", body, PAYLOADS.refund).order_id).toBe("820982911946154508");
    const order = parsePayload("orders/create", fixture("orders_create"), PAYLOADS.orders);
    expect(order.line_items[0]!.product_id).toBe("788032119674292900");
    expect(order.customer?.id).toBe("115310627314723950");
  });

  it("accepts a delivered carrier event with what applying it reads", () => {
    const delivered = fixture("fulfillment_events_create").replace('"in_transit"', '"delivered"');
    expect(parsePayload("fulfillment_events/create", delivered, PAYLOADS.deliveredEvent)).toMatchObject({
      fulfillment_id: "123456",
      happened_at: "2021-12-31T19:00:00-05:00",
    });
  });

  it("finds a return's order under either name Shopify uses", () => {
    expect(parsePayload("returns/request", fixture("returns_request"), PAYLOADS.return).orderId).toBe(
      "gid://shopify/Order/4783296544821",
    );
    expect(parsePayload("returns/process", fixture("returns_close"), PAYLOADS.return).orderId).toBe(
      "gid://shopify/Order/4783296544821",
    );
    expect(() =>
      parsePayload("returns/process", '{"admin_graphql_api_id": "gid://shopify/Return/1"}', PAYLOADS.return),
    ).toThrow("returns/process payload refused: order: missing (neither order nor order_id)");
  });

  it("keeps fields it does not read", () => {
    const order = parsePayload("orders/create", fixture("orders_create"), PAYLOADS.orders);
    expect(order).toHaveProperty("billing_address");
  });

  it("refuses a body that is not JSON, naming the topic", () => {
    expect(() => parsePayload("orders/create", "{", PAYLOADS.orders)).toThrow(
      "orders/create refused: the body is not JSON",
    );
  });

  it("covers every fixture Shopify publishes for a topic the app applies", () => {
    const read = new Set(cases.map(([name]) => name));
    const notRead = ["app_uninstalled", "returns_approve", "returns_decline"];
    const files = readdirSync(FIXTURES).map((f) => f.replace(/\.json$/, ""));
    expect(files.filter((f) => !read.has(f) && !notRead.includes(f))).toEqual([]);
  });
});
