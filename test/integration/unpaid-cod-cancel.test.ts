/**
 * TML-6: an unpaid payment-on-delivery order, 7 days after it shipped. Staff cancel it from its
 * alert on the order page (the real route, with the admin's session token); with the shop's
 * setting on the worker's sweep cancels it the day after the deadline, never before; a payment
 * arriving first (orders/paid) stops both. Every moment is given: Date is faked to it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { presetSettings } from "../../app/policy";
import { fulfill, markPaid, placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, shopper, variantOf } from "../emulator/builders";
import { routeShopTrafficTo } from "../emulator/shop-routing";
import { legacyId, type EmulatedStore, type Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import { BROWSER_UA } from "../support/server";
import type * as Unpaid from "../../app/services/returns/cancel-unpaid-order.server";
import type * as Home from "../../app/services/shops/home.server";

const manual = createStore({ domain: "cod-manual.myshopify.com", name: "COD Manual" });
const auto = createStore({ domain: "cod-auto.myshopify.com", name: "COD Auto" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let unpaid: typeof Unpaid;
type Route = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
let page: { loader: Route; action: Route };
let home: typeof Home;
const T = (iso: string) => new Date(iso);
const DAY = 86_400_000;
/** Each order's own fortnight, later than the last: the app's clock, like Shopify's, only moves forward. */
let week = -2;
function fortnight() {
  week += 2;
  const shift = (iso: string) => new Date(T(iso).getTime() + week * 7 * DAY);
  return {
    placedAt: shift("2026-11-02T15:00:00Z"), // Monday 10:00 Eastern
    shippedAt: shift("2026-11-03T15:00:00Z"), // Tuesday: the deadline is the end of the next Tuesday, Eastern
    day6: shift("2026-11-09T18:00:00Z"),
    day7: shift("2026-11-10T15:00:00Z"),
    endOfDay7: shift("2026-11-11T04:59:00Z"), // 23:59 Eastern on the 7th day
    day8: shift("2026-11-11T05:01:00Z"), // 00:01 Eastern on the 8th day
    later: shift("2026-11-13T12:00:00Z"),
  };
}
type Times = ReturnType<typeof fortnight>;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T("2026-11-01T12:00:00Z"));
  app = await startAppHarness(manual, { otherStores: [auto] });
  for (const store of [manual, auto]) {
    routeShopTrafficTo(store.domain, app.emulatorOf(store.domain).origin);
    const settings = presetSettings();
    settings.timeline.autoCancelUnpaidOnDelivery = store === auto;
    await app.prisma.shop.create({ data: { domain: store.domain, settings: settings as object } });
    await app.storeOfflineSession(store.domain);
  }
  unpaid = await import("../../app/services/returns/cancel-unpaid-order.server");
  page = (await import("../../app/routes/app.orders.$id")) as unknown as typeof page;
  home = await import("../../app/services/shops/home.server");
}, 60_000);
afterAll(async () => {
  await app?.close();
  vi.useRealTimers();
});

function at(moment: Date) {
  vi.setSystemTime(moment);
  manual.setClock(moment);
  auto.setClock(moment);
}

async function settle(moment: Date) {
  for (const store of [manual, auto]) await app.emulatorOf(store.domain).webhooks.idle();
  await app.drain(moment);
  await app.processor.sweepDueDeadlines(app.prisma, moment);
}

let n = 0;
/** A one-of-a-kind item bought cash on delivery, shipped on `shippedAt`. */
async function codOrder(store: EmulatedStore): Promise<{ order: Node; t: Times }> {
  const t = fortnight();
  const { placedAt, shippedAt } = t;
  at(placedAt);
  const customer = shopper(store, { firstName: "Cam", lastName: `Cod${++n}`, email: `cam${n}@example.com` });
  const product = oneOfAKind(store, { title: `Birkin ${n}`, priceCents: 900_000 });
  const order = placeOrder(store, {
    customer,
    lines: [{ variant: variantOf(product) }],
    placedAt,
    shippingCents: 2_000,
    payments: [{ kind: "cash_on_delivery" }],
  });
  await settle(placedAt);
  at(shippedAt);
  fulfill(store, order, { at: shippedAt, company: "UPS" });
  await settle(shippedAt);
  return { order, t };
}

/** The order page's form post as the embedded admin sends it (session token as a Bearer header). */
async function post(store: EmulatedStore, order: Node, intent = "cancel-unpaid") {
  const id = String(legacyId(order.id));
  const request = new Request(`https://policy-guard.example.com/app/orders/${id}?_data=routes%2Fapp.orders.%24id`, {
    method: "POST",
    body: new URLSearchParams({ intent }),
    headers: {
      "user-agent": BROWSER_UA,
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Bearer ${app.emulatorOf(store.domain).sessionToken()}`,
    },
  });
  const response = (await page.action({ request, params: { id }, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as { ok: boolean; message: string } };
}

async function openPage(store: EmulatedStore, order: Node) {
  const id = String(legacyId(order.id));
  const request = new Request(`https://policy-guard.example.com/app/orders/${id}?_data=routes%2Fapp.orders.%24id`, {
    headers: { "user-agent": BROWSER_UA, authorization: `Bearer ${app.emulatorOf(store.domain).sessionToken()}` },
  });
  return (await page.loader({ request, params: { id }, context: {} })) as {
    alerts: Array<{ kind: string }>;
    events: Array<{ kind: string; source: string }>;
  };
}

const attention = async (store: EmulatedStore, moment: Date) =>
  (await home.loadAttention(app.prisma, store.domain, presetSettings(), moment)).alerts;
const sweep = (moment: Date) => unpaid.cancelOverdueUnpaidOrders(moment, { db: app.prisma, gateway: app.gateway });
const available = (order: Node) => order.lineItems[0].variant.inventoryItem.inventoryLevels[0]._quantities.available;

describe("TML-6: the alert's one-click cancel (staff)", () => {
  it("shipped 7 days ago and unpaid: the alert offers the cancel; it returns the parcel, cancels without refund, restocks, once", async () => {
    const { order, t } = await codOrder(manual);
    at(t.day8);
    await settle(t.day8);
    expect((await openPage(manual, order)).alerts.map((a) => a.kind)).toContain("payment_on_delivery_overdue");
    const listed = await attention(manual, t.day8);
    expect(listed.find((a) => a.order === order.name)).toMatchObject({
      kind: "payment_on_delivery_overdue",
      orderNumber: String(legacyId(order.id)),
    });

    const done = await post(manual, order);
    expect(done).toEqual({ status: 200, body: { ok: true, message: expect.stringContaining("cancelled by staff") } });
    expect(order.cancelledAt).toBe(t.day8.toISOString());
    expect(order.cancelReason).toBe("DECLINED");
    expect(order.fulfillments[0].status).toBe("CANCELLED");
    expect((order.transactions as Node[]).filter((t) => t.kind === "REFUND")).toEqual([]);
    expect(available(order)).toBe(1);

    await settle(t.day8);
    const view = await openPage(manual, order);
    expect(view.events.find((e) => e.kind === "cancelled")?.source).toContain("TML-6: cancelled by staff");
    expect((await attention(manual, t.day8)).some((a) => a.order === order.name)).toBe(false);

    // A second click (or another tab) changes nothing in Shopify.
    const again = await post(manual, order);
    expect(again.body.ok).toBe(true);
    expect(await app.prisma.shopifyAction.count({ where: { key: `cancel-unpaid:${order.id}` } })).toBe(1);
    expect(available(order)).toBe(1);
  });

  it("before the deadline the cancel is refused, and nothing changes", async () => {
    const { order, t } = await codOrder(manual);
    at(t.endOfDay7);
    const refused = await post(manual, order);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("can be cancelled for non-payment only after that");
    expect(order.cancelledAt).toBeNull();
  });

  it("with the setting off, the worker's sweep leaves an overdue order to staff", async () => {
    const { order, t } = await codOrder(manual);
    at(t.day8);
    await settle(t.day8);
    expect((await sweep(t.day8)).cancelled).toBe(0);
    expect(order.cancelledAt).toBeNull();
  });
});

describe("TML-6: cancelled by itself when the setting is on", () => {
  it("on the day after the 7th, not on the 7th", async () => {
    const { order, t } = await codOrder(auto);
    for (const moment of [t.day7, t.endOfDay7]) {
      at(moment);
      await settle(moment);
      await sweep(moment);
      expect(order.cancelledAt).toBeNull();
    }
    at(t.day8);
    await settle(t.day8);
    expect(await sweep(t.day8)).toMatchObject({ cancelled: 1, failed: 0 });
    expect(order.cancelledAt).toBe(t.day8.toISOString());
    expect(order.cancelReason).toBe("DECLINED");
    await settle(t.day8);
    const events = await app.prisma.orderEvent.findMany({ where: { orderId: order.id, kind: "cancelled" } });
    expect(events.map((e) => [e.occurredAt, e.source])).toEqual([
      [t.day8, expect.stringContaining("TML-6: cancelled automatically")],
    ]);
    // The next sweep finds nothing to do.
    expect((await sweep(t.later)).cancelled).toBe(0);
  });

  it("paid on day 6 (orders/paid): never cancelled, by the sweep or by staff", async () => {
    const { order, t } = await codOrder(auto);
    at(t.day6);
    markPaid(auto, order, t.day6);
    await settle(t.day6);
    for (const moment of [t.day8, t.later]) {
      at(moment);
      await settle(moment);
      await sweep(moment);
    }
    expect(order.cancelledAt).toBeNull();
    expect(await app.prisma.orderDeadline.count({ where: { orderId: order.id, key: "payment_on_delivery_by" } })).toBe(
      0,
    );
    const refused = await post(auto, order);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("not waiting for a payment on delivery");
  });
});
