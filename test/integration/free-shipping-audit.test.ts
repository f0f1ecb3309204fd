import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { placeOrder, type OrderSpec } from "../emulator/actions/orders";
import { createStore, oneOfAKind, variantOf } from "../emulator/builders";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
const T = (iso: string) => new Date(iso);
const NOW = T("2026-11-18T12:00:00Z");
const usd = (amount: number) => ({ amount, currency: "USD" });

beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

/** One one-of-a-kind item at `priceCents`, ordered on a weekday morning with the given discounts and shipping. */
function order(title: string, priceCents: number, spec: Omit<OrderSpec, "lines"> = {}): Node {
  const item = oneOfAKind(store, { title, priceCents });
  return placeOrder(store, { lines: [{ variant: variantOf(item) }], placedAt: T("2026-11-16T15:00:00Z"), ...spec });
}

async function deliverAndApply() {
  await app.emulator.webhooks.idle();
  await app.drain(NOW);
}

const alertsOf = async (o: Node) =>
  (await app.prisma.orderAlert.findMany({ where: { orderId: o.id } })).map((a) => [a.kind, a.rule]);

const NO_ALERT: string[][] = [];

describe("SHP-1 after checkout: free shipping against the subtotal after discounts", () => {
  let shippedFreeBelow: Node;
  let chargedAbove: Node;

  it("flags an order that shipped free with a $600 cart brought to $450 by a $150 code", async () => {
    shippedFreeBelow = order("Watch with a code", 60_000, {
      discountCodes: [{ code: "SAVE150", amountCents: 15_000 }],
      shippingCents: 2_000,
      shippingDiscountCents: 2_000,
    });
    await deliverAndApply();
    expect(await alertsOf(shippedFreeBelow)).toEqual([["free_shipping_below_threshold", "SHP-1"]]);
    const stored = await app.prisma.order.findUniqueOrThrow({ where: { id: shippedFreeBelow.id } });
    expect(stored.shippingFacts).toEqual({
      subtotalAfterDiscounts: usd(45_000),
      shippingCost: { price: usd(2_000), charged: usd(0) },
      countryCode: "US",
      services: ["Standard (FedEx, signature required)"],
    });
  });

  it("flags $20 shipping charged on $520 after a $10 code: staff refund the shipping", async () => {
    chargedAbove = order("Bag with a code", 53_000, {
      discountCodes: [{ code: "TEN", amountCents: 1_000 }],
      shippingCents: 2_000,
    });
    await deliverAndApply();
    expect(await alertsOf(chargedAbove)).toEqual([["free_shipping_withheld", "SHP-1"]]);
  });

  it("says nothing of a $600 order shipped free, a $300 order paying $20, or a $600 order shipped abroad", async () => {
    const free = order("Ring shipped free", 60_000, { shippingCents: 2_000, shippingDiscountCents: 2_000 });
    const flatRate = order("Scarf at the flat rate", 30_000, { shippingCents: 2_000 });
    const abroad = order("Bag shipped abroad", 60_000, {
      shippingCents: 4_500,
      shippingAddress: { countryCode: "CA" },
    });
    await deliverAndApply();
    expect(await alertsOf(free)).toEqual(NO_ALERT);
    expect(await alertsOf(flatRate)).toEqual(NO_ALERT);
    expect(await alertsOf(abroad)).toEqual(NO_ALERT);
  });

  it("reads the same facts through the Admin API when the order's webhooks were lost", async () => {
    app.emulator.webhooks.hold();
    const lost = order("Wallet with a code", 60_000, {
      discountCodes: [{ code: "SAVE150", amountCents: 15_000 }],
      shippingCents: 2_000,
      shippingDiscountCents: 2_000,
    });
    app.emulator.webhooks.takeHeld();
    app.emulator.webhooks.release();
    const { reconcileOrders } = await import("../../app/services/orders/reconcile.server");
    await reconcileOrders(app.prisma, await app.gateway(store.domain), NOW);
    await app.drain(NOW);
    const stored = await app.prisma.order.findUniqueOrThrow({ where: { id: lost.id }, include: { events: true } });
    expect(stored.events.map((e) => e.source)).toContain("reconcile");
    expect(stored.shippingFacts).toEqual({
      subtotalAfterDiscounts: usd(45_000),
      shippingCost: { price: usd(2_000), charged: usd(0) },
      countryCode: "US",
      services: ["Standard (FedEx, signature required)"],
    });
    expect(await alertsOf(lost)).toEqual([["free_shipping_below_threshold", "SHP-1"]]);
  });

  it("keeps the newer snapshot's facts when an older one arrives late", async () => {
    const newer = await app.prisma.order.findUniqueOrThrow({ where: { id: chargedAbove.id } });
    const created = await app.prisma.webhookEvent.findFirstOrThrow({
      where: { topic: "orders/create", body: { contains: chargedAbove.id } },
    });
    // The same order a minute older, as if it had shipped free on $450: it must change nothing.
    const older = JSON.parse(created.body);
    older.updated_at = new Date(newer.shopifyUpdatedAt.getTime() - 60_000).toISOString();
    older.subtotal_price_set.presentment_money.amount = "450.00";
    for (const line of older.shipping_lines) line.discounted_price_set.presentment_money.amount = "0.00";
    await app.inbox.enqueue(app.prisma, {
      webhookId: "older-snapshot-of-charged-order",
      shop: store.domain,
      topic: "orders/updated",
      body: JSON.stringify(older),
    });
    await app.drain(NOW);
    const after = await app.prisma.order.findUniqueOrThrow({ where: { id: chargedAbove.id } });
    expect(after.shippingFacts).toEqual(newer.shippingFacts);
    expect(await alertsOf(chargedAbove)).toEqual([["free_shipping_withheld", "SHP-1"]]);
  });

  it("lists both under Needs attention on the home page", async () => {
    const { loadAttention } = await import("../../app/services/shops/home.server");
    const { alerts } = await loadAttention(app.prisma, store.domain, presetSettings(), NOW);
    const byOrder = Object.fromEntries(alerts.map((a) => [a.order, `${a.rule} ${a.label}`]));
    expect(byOrder[shippedFreeBelow.name]).toBe(
      "SHP-1 Shipped free although the subtotal after discounts is below the free-shipping threshold",
    );
    expect(byOrder[chargedAbove.name]).toBe(
      "SHP-1 Charged shipping although the subtotal after discounts ships free: refund the shipping",
    );
  });
});
