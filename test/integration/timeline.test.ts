import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarDaysWindowEnd, presetSettings } from "../../app/policy";
import { fulfill, placeOrder, trackingEvent } from "../emulator/actions/orders";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
const T = (iso: string) => new Date(iso);

beforeAll(async () => {
  app = await startAppHarness(store, { webhooks: { copies: 2 } });
});
afterAll(() => app.close());

const timeline = (orderId: string) =>
  app.prisma.orderEvent.findMany({
    where: { orderId },
    orderBy: [{ occurredAt: "asc" }, { kind: "asc" }],
    select: { kind: true, ref: true, occurredAt: true },
  });

describe("order timeline from webhooks (TML-8)", () => {
  it("records each state change once, at Shopify's own times, whatever the delivery order", async () => {
    const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
    const watch = oneOfAKind(store, { title: "Watch", priceCents: 60_000 });
    app.emulator.webhooks.hold();
    const order = orderAt(store, {
      customer: maya,
      items: [watch],
      stage: "delivered",
      payment: "shop_pay",
      placedAt: T("2026-11-02T15:00:00Z"),
      shippedAfterHours: 20,
      deliveredAfterHours: 100,
    });
    let seed = 7;
    app.emulator.webhooks.release({ shuffle: () => (seed = (seed * 16807) % 2147483647) / 2147483647 });
    await app.emulator.webhooks.idle();
    expect(await app.prisma.webhookEvent.count()).toBeGreaterThanOrEqual(5);
    await app.drain(T("2026-11-10T12:00:00Z"));

    const fulfillment: Node = order.fulfillments[0];
    expect(await timeline(order.id)).toEqual([
      { kind: "paid", ref: "", occurredAt: T("2026-11-02T15:00:00Z") },
      { kind: "placed", ref: "", occurredAt: T("2026-11-02T15:00:00Z") },
      // TML-1: placed on a business day before 16:00, so processing starts at once.
      { kind: "processing", ref: "", occurredAt: T("2026-11-02T15:00:00Z") },
      { kind: "shipped", ref: fulfillment.id, occurredAt: T("2026-11-03T11:00:00Z") },
      { kind: "delivered", ref: fulfillment.id, occurredAt: T("2026-11-06T19:00:00Z") },
    ]);
    const stored = await app.prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { deadlines: true } });
    expect(stored.state).toBe("delivered");
    expect(stored.payments).toEqual([
      expect.objectContaining({ method: "card", gateway: "shopify_payments", status: "SUCCESS" }),
    ]);
    const returnBy = stored.deadlines.find((d) => d.key === "return_request_by");
    expect(returnBy?.dueAt).toEqual(calendarDaysWindowEnd(T("2026-11-06T19:00:00Z"), 14, "America/New_York"));
    expect(stored.deadlines.find((d) => d.key === "ship_by")?.settled).toBe(true);
    // Every delivery arrived twice; the inbox kept one row per webhook id.
    const deliveries = app.emulator.webhooks.log.filter((l) => l.status === 200);
    expect(new Set(deliveries.map((d) => d.webhookId)).size).toBe(await app.prisma.webhookEvent.count());
  });

  it("never lets an older snapshot overwrite a newer one", async () => {
    const watch = oneOfAKind(store, { title: "Watch 2", priceCents: 45_000 });
    const order = placeOrder(store, {
      lines: [{ variant: variantOf(watch) }],
      placedAt: T("2026-11-03T15:00:00Z"),
      payments: [{ kind: "cash_on_delivery" }],
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    const { prisma } = app;
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).financialStatus).toBe("pending");
    const older = (
      await prisma.webhookEvent.findFirstOrThrow({ where: { topic: "orders/create", body: { contains: order.id } } })
    ).body;
    fulfill(store, order, { at: T("2026-11-04T15:00:00Z") });
    await app.emulator.webhooks.idle();
    await app.drain();
    const newer = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(newer.fulfillmentStatus).toBe("fulfilled");
    await app.inbox.enqueue(prisma, {
      webhookId: "replayed-old-snapshot",
      shop: store.domain,
      topic: "orders/updated",
      body: older,
    });
    await app.drain();
    const after = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(after.fulfillmentStatus).toBe("fulfilled");
    expect(after.shopifyUpdatedAt).toEqual(newer.shopifyUpdatedAt);
    expect(after.payments).toEqual([expect.objectContaining({ method: "cash_on_delivery", status: "PENDING" })]);
  });

  it("handles an event about an order it has not seen by fetching the order first", async () => {
    const watch = oneOfAKind(store, { title: "Watch 3", priceCents: 70_000 });
    app.emulator.webhooks.hold();
    const order = placeOrder(store, {
      lines: [{ variant: variantOf(watch) }],
      placedAt: T("2026-11-05T15:00:00Z"),
      payments: [{ kind: "paypal" }],
    });
    const f = fulfill(store, order, { at: T("2026-11-06T15:00:00Z") });
    trackingEvent(store, f, "DELIVERED", T("2026-11-09T17:00:00Z"));
    app.emulator.webhooks.release();
    await app.emulator.webhooks.idle();
    // Only the carrier's delivered event is processed; orders/create and the rest are lost.
    await app.prisma.webhookEvent.deleteMany({
      where: { topic: { not: "fulfillment_events/create" }, body: { contains: order.id.split("/").pop()! } },
    });
    await app.drain();
    const events = await timeline(order.id);
    expect(events.map((e) => e.kind)).toEqual(["paid", "placed", "processing", "shipped", "delivered"]);
    expect(events.at(-1)!.occurredAt).toEqual(T("2026-11-09T17:00:00Z"));
    const stored = await app.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(stored.payments).toEqual([expect.objectContaining({ method: "paypal" })]);
  });

  it("stores deadlines so what is due in the next 24 hours is one indexed query", async () => {
    const { dueSoon } = await import("../../app/services/orders/deadline-store.server");
    const bag = oneOfAKind(store, { title: "Bag due soon", priceCents: 30_000 });
    const placedAt = T("2026-11-16T14:00:00Z"); // Monday 09:00 in New York
    const order = placeOrder(store, { lines: [{ variant: variantOf(bag) }], placedAt });
    await app.emulator.webhooks.idle();
    await app.drain(placedAt);
    const due = await dueSoon(app.prisma, store.domain, placedAt);
    const mine = due.filter((d) => d.orderId === order.id).map((d) => [d.key, d.rule, d.dueAt.toISOString()]);
    expect(mine).toEqual([
      ["processing_starts", "TML-1", "2026-11-16T14:00:00.000Z"],
      ["cancellation_window_ends", "CAN-1", "2026-11-16T16:00:00.000Z"],
    ]);
    expect(due.every((d) => d.dueAt >= placedAt && d.dueAt.getTime() <= placedAt.getTime() + 86_400_000)).toBe(true);
  });

  it("turns due deadlines into timeline entries and alerts (TML-1 processing, TML-2 late to ship)", async () => {
    const late = oneOfAKind(store, { title: "Unshipped bag", priceCents: 30_000 });
    const order = placeOrder(store, { lines: [{ variant: variantOf(late) }], placedAt: T("2026-11-06T15:00:00Z") });
    await app.emulator.webhooks.idle();
    await app.drain(T("2026-11-06T16:00:00Z"));
    const now = T("2026-11-20T12:00:00Z");
    await app.processor.sweepDueDeadlines(app.prisma, now);
    const events = await timeline(order.id);
    expect(events.find((e) => e.kind === "processing")?.occurredAt).toEqual(T("2026-11-06T15:00:00Z"));
    const alerts = await app.prisma.orderAlert.findMany({ where: { orderId: order.id } });
    expect(alerts.map((a) => [a.kind, a.rule])).toEqual([["late_to_ship", "TML-2"]]);
    expect(await app.processor.sweepDueDeadlines(app.prisma, now)).toBe(0);
  });

  it("recomputes stored deadlines when the shop's settings change", async () => {
    const { recomputeShopDeadlines } = await import("../../app/services/orders/deadline-store.server");
    const settings = presetSettings();
    settings.returns.windowDays = 30;
    await app.prisma.shop.create({ data: { domain: store.domain, settings: settings as object } });
    await recomputeShopDeadlines(app.prisma, store.domain, T("2026-11-10T12:00:00Z"));
    const deadline = await app.prisma.orderDeadline.findFirstOrThrow({
      where: { key: "return_request_by", order: { name: "#1001" } },
    });
    expect(deadline.dueAt).toEqual(calendarDaysWindowEnd(T("2026-11-06T19:00:00Z"), 30, "America/New_York"));
    await app.prisma.shop.delete({ where: { domain: store.domain } });
  });
});
