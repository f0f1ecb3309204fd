import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import { legacyId } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

let sent = 0;
/** A validly signed delivery of a payload, processed; the stored event afterwards. */
async function processed(topic: string, payload: unknown) {
  const webhookId = `payload-${++sent}`;
  const response = await app.deliver(JSON.stringify(payload), { topic, shop: store.domain, webhookId });
  expect(response.status).toBe(200);
  await app.drain();
  return app.prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId } });
}

type Json = Record<string, any>;
const stored = async (topic: string): Promise<Json> =>
  JSON.parse(
    (await app.prisma.webhookEvent.findFirstOrThrow({ where: { topic }, orderBy: { receivedAt: "desc" } })).body,
  );

describe("well-formed payloads", () => {
  it("applies every topic of an order's whole life as the store sends it, none refused", async () => {
    const bag = oneOfAKind(store, { title: "Bag", priceCents: 90_000 });
    const order = orderAt(store, {
      customer: shopper(store, { firstName: "Ana", lastName: "Lima", email: "ana@example.com" }),
      items: [bag],
      stage: "refunded",
      placedAt: new Date("2026-11-02T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    expect(await app.prisma.webhookEvent.findMany({ where: { status: { not: "done" } } })).toEqual([]);
    const kinds = (await app.prisma.orderEvent.findMany({ where: { orderId: order.id } })).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "shipped",
        "delivered",
        "return_requested",
        "label_issued",
        "return_received",
        "refunded",
      ]),
    );
  });
});

describe("malformed payloads are dead letters with the field named", () => {
  let order: Json;
  let product: Json;
  let fulfillment: Json;

  beforeAll(async () => {
    const watch = oneOfAKind(store, { title: "Watch", priceCents: 60_000 });
    orderAt(store, {
      customer: shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" }),
      items: [watch],
      stage: "shipped",
      placedAt: new Date("2026-11-02T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    order = await stored("orders/create");
    product = await stored("products/create");
    fulfillment = await stored("fulfillments/create");
    expect(variantOf(watch).inventoryItem.id).toBeTruthy();
  });

  const cases: Array<[string, string, () => unknown, RegExp]> = [
    [
      "an amount beyond the stored range",
      "orders/updated",
      () => ({ ...order, total_price: "99999999999.00" }),
      /total_price: 99999999999\.00 USD is beyond/,
    ],
    [
      "a quantity beyond the column's range",
      "orders/updated",
      () => ({ ...order, line_items: [{ ...order.line_items[0], quantity: 3_000_000_000 }] }),
      /line_items\[0\]\.quantity: expected an integer from/,
    ],
    [
      "an unparseable date",
      "orders/updated",
      () => ({ ...order, updated_at: "last tuesday" }),
      /updated_at: expected an ISO 8601 timestamp/,
    ],
    [
      "an order without its id",
      "orders/create",
      () => ({ ...order, admin_graphql_api_id: null }),
      /admin_graphql_api_id/,
    ],
    ["a null variant", "products/update", () => ({ ...product, variants: [null] }), /variants\[0\]/],
    [
      "inventory without its item",
      "inventory_levels/update",
      () => ({ location_id: 1, available: 1, updated_at: "2026-11-20T10:00:00Z" }),
      /inventory_item_id: missing/,
    ],
    [
      "stock beyond the column's range",
      "inventory_levels/update",
      () => ({
        inventory_item_id: legacyId(product.variants[0].admin_graphql_api_id),
        available: 99_999_999_999,
        updated_at: "2026-11-20T10:00:00Z",
      }),
      /available: expected an integer from/,
    ],
    [
      "a refund without a date",
      "refunds/create",
      () => ({
        id: 1,
        admin_graphql_api_id: "gid://shopify/Refund/1",
        order_id: legacyId(order.admin_graphql_api_id),
        created_at: "soon",
      }),
      /created_at: expected an ISO 8601 timestamp/,
    ],
    [
      "a fulfillment naming no order",
      "fulfillments/create",
      () => ({ ...fulfillment, order_id: null }),
      /order_id: expected a Shopify id/,
    ],
    [
      "a label naming no return",
      "reverse_deliveries/attach_deliverable",
      () => ({ admin_graphql_api_id: "gid://shopify/ReverseDelivery/1", return: null }),
      /return/,
    ],
    [
      "a redaction naming no customer",
      "customers/redact",
      () => ({ shop_id: legacyId(store.shop.id), shop_domain: store.domain }),
      /customer/,
    ],
  ];

  it.each(cases)("%s (%s)", async (_, topic, payload, field) => {
    const before = await app.prisma.order.findMany({ include: { lines: true, events: true } });
    const inventory = await app.prisma.variantInventory.findMany();
    const event = await processed(topic, payload());
    expect(event).toMatchObject({ status: "dead", attempts: 1 });
    const shown = event.lastError!;
    // One readable line: the topic and the field, no query, response or stack.
    expect(shown.split("\n")).toHaveLength(1);
    expect(shown).toMatch(new RegExp(`^${topic.replace("/", "\\/")} payload refused: `));
    expect(shown).toMatch(field);
    expect(shown).not.toMatch(/Prisma|Cannot read properties|\bat .*\.ts:\d+/);
    expect(await app.prisma.order.findMany({ include: { lines: true, events: true } })).toEqual(before);
    expect(await app.prisma.variantInventory.findMany()).toEqual(inventory);
  });

  it("applies the same payloads when they are well formed", async () => {
    expect(await processed("orders/updated", order)).toMatchObject({ status: "done" });
    expect(await processed("products/update", product)).toMatchObject({ status: "done" });
    expect(
      await processed("inventory_levels/update", {
        inventory_item_id: product.variants[0].inventory_item_id,
        available: 0,
        updated_at: "2026-11-20T10:00:00Z",
      }),
    ).toMatchObject({ status: "done" });
  });
});

describe("failures read as one line", () => {
  it("stores what went wrong in a sentence, and logs the rest", async () => {
    const { summarizeError } = await import("../../app/services/inbox/webhook-errors.server");
    const prismaLike = Object.assign(
      new Error("\nInvalid `prisma.order.update()` invocation:\n\n{ where: { id: 1 } }\n\nRecord to update not found."),
      { name: "PrismaClientKnownRequestError", code: "P2025" },
    );
    expect(summarizeError(prismaLike)).toBe("Database error P2025: Record to update not found.");
    const typeError = new TypeError("Cannot read properties of null (reading 'id')");
    expect(summarizeError(typeError)).toBe("TypeError: Cannot read properties of null (reading 'id')");
    expect(summarizeError("x".repeat(2_000)).length).toBeLessThanOrEqual(300);
  });

  it("shows the first line that says something on the Webhooks page, for errors stored before too", async () => {
    const { shownError } = await import("../../app/services/inbox/webhook-errors.server");
    expect(
      shownError("\nInvalid `prisma.order.update()` invocation:\n\n{ query }\n\nRecord to update not found."),
    ).toBe("Invalid `prisma.order.update()` invocation:");
    expect(shownError("TypeError: Cannot read properties of null\n    at x (/app/a.ts:1:1)")).toBe(
      "TypeError: Cannot read properties of null",
    );
    expect(shownError(null)).toBe("");
  });
});
