import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, variantOf } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";

/**
 * The install backfill competes with the merchant's pages and the first audit for the
 * shop's query-cost bucket. A page Shopify keeps throttling past the gateway's attempts
 * is asked again once the bucket has refilled, and the backfill finishes.
 */
const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
const NOW = new Date("2026-11-18T12:00:00Z");

beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

describe("reconciliation put off by Shopify", () => {
  it("waits out a throttle that outlasts the gateway's attempts and stores every order", async () => {
    app.emulator.webhooks.hold();
    const orders = Array.from({ length: 6 }, (_, i) =>
      placeOrder(store, {
        lines: [{ variant: variantOf(oneOfAKind(store, { title: `Watch ${i}`, priceCents: 40_000 })) }],
        placedAt: new Date("2026-11-16T15:00:00Z"),
      }),
    );
    app.emulator.webhooks.takeHeld();
    app.emulator.webhooks.release();
    const { reconcileOrders } = await import("../../app/services/orders/reconcile.server");
    const gateway = await app.gateway(store.domain);
    // More throttles in a row than one request's attempts: the request is put off at least once.
    const faultsBefore = app.emulator.faults.total;
    app.emulator.faults.burst(Array.from({ length: 8 }, () => ({ kind: "throttled" as const, restoreRate: 2_000 })));
    const queued = await reconcileOrders(app.prisma, gateway, NOW);
    expect(app.emulator.faults.total - faultsBefore).toBe(8);
    expect(queued).toBeGreaterThanOrEqual(orders.length);
    await app.drain(NOW);
    const stored = await app.prisma.order.count({ where: { id: { in: orders.map((o) => o.id as string) } } });
    expect(stored).toBe(orders.length);
  });
});
