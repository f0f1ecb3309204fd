import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import type * as GatewayModule from "../../app/services/shopify/admin-gateway.server";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";

/**
 * One shop's Admin API accepts connections and never answers; another's is
 * healthy. Every request has a timeout, and the healthy shop's events are
 * applied in bounded time while the hung shop's wait and are retried later.
 */
const store = createStore();
const HUNG = "hung-store.myshopify.com";
const throttled = createStore({ domain: "throttled-store.myshopify.com", name: "Throttled" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let gatewayModule: typeof GatewayModule;
let hung: Server;
let hungOrigin: string;
const sockets = new Set<Socket>();
/** Requests the hung shop has received (and never answered). */
let requests = 0;

beforeAll(async () => {
  app = await startAppHarness(store, { otherStores: [throttled] });
  gatewayModule = await import("../../app/services/shopify/admin-gateway.server");
  // Accepts, reads requests, never answers.
  hung = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (chunk) => (requests += String(chunk).match(/^POST /gm)?.length ?? 0));
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  hungOrigin = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
  await app.close();
});

const QUERY = `#graphql
  query ShopName { shop { name } }
`;

/** The hung shop: short timeouts, as a test can afford; the healthy shop: the harness's gateway. */
const gateways = (shop: string) =>
  shop === HUNG
    ? Promise.resolve(
        new gatewayModule.AdminGateway(HUNG, "shpat_hung", {
          origin: hungOrigin,
          timeoutMs: 300,
          budgetMs: 2_000,
          cooldownMs: 60_000,
        }),
      )
    : app.gateway(shop);

let hungEvents = 0;
/** A fulfillment of an order the app has not seen: preparing it fetches the order from the shop's Admin API. */
const hungFulfillment = () => {
  const n = ++hungEvents;
  return app.inbox.enqueue(app.prisma, {
    webhookId: `hung-${n}`,
    shop: HUNG,
    topic: "fulfillments/create",
    body: JSON.stringify({
      id: 7_000 + n,
      order_id: 990_000 + n,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${7_000 + n}`,
      created_at: "2026-11-03T11:00:00Z",
      updated_at: "2026-11-03T11:00:00Z",
    }),
  });
};
const placeOrder = async (title: string, where = store) => {
  const customer = shopper(where, { firstName: "Maya", lastName: "Chen", email: `${title}@example.com` });
  const order = orderAt(where, {
    customer,
    items: [oneOfAKind(where, { title, priceCents: 60_000 })],
    stage: "paid",
    placedAt: new Date("2026-11-02T15:00:00Z"),
  });
  await app.emulatorOf(where.domain).webhooks.idle();
  return order;
};
const batch = () =>
  app.processor.processBatch({ db: app.prisma, workerId: "w", gateway: gateways, shopDeadlineMs: 1_000 });
const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};

describe("a hung Admin API", () => {
  it("a request gives up after its timeouts, within its budget, and the shop is then left alone", async () => {
    const shop = "hung-alone.myshopify.com";
    const gateway = new gatewayModule.AdminGateway(shop, "t", {
      origin: hungOrigin,
      timeoutMs: 200,
      budgetMs: 1_000,
      cooldownMs: 30_000,
    });
    const before = requests;
    const { result: failure, ms } = await timed(() => gateway.request(QUERY).catch((error: Error) => error));
    expect(failure).toBeInstanceOf(gatewayModule.AdminGatewayError);
    expect((failure as Error).message).toMatch(/did not answer within 200 ms \(\d attempts in \d s\)/);
    expect(ms).toBeLessThan(2_000); // the budget (1 s) and slack
    const attempts = requests - before;
    expect(attempts).toBeGreaterThanOrEqual(2); // timeouts are retried…
    expect(attempts).toBeLessThanOrEqual(4); // …within the budget
    // Cooling down: the next request fails at once, without a connection.
    const next = await timed(() => gateway.request(QUERY).catch((error: Error) => error));
    expect(next.result).toBeInstanceOf(gatewayModule.ShopUnavailableError);
    expect(next.ms).toBeLessThan(100);
    expect(requests - before).toBe(attempts);
    expect(gatewayModule.shopUnavailableUntil(shop)).not.toBeNull();
  });

  it("after the cool-down one probe decides, the work never waits on it, and a shop that answers again is used again", async () => {
    let down = true;
    let received = 0;
    const held: Array<() => void> = [];
    const flaky = createHttpServer((req, res) => {
      received++;
      if (down) return void held.push(() => res.destroy());
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ data: { shop: { id: "gid://shopify/Shop/1", name: "Back" } } }));
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const shop = "flaky.myshopify.com";
    const gateway = new gatewayModule.AdminGateway(shop, "t", {
      origin: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`,
      timeoutMs: 200,
      budgetMs: 300,
      cooldownMs: 300,
    });
    const until = async (condition: () => boolean) => {
      const limit = performance.now() + 5_000;
      while (!condition() && performance.now() < limit) await new Promise((r) => setTimeout(r, 10));
      expect(condition()).toBe(true);
    };
    try {
      await expect(gateway.request(QUERY)).rejects.toThrow(/did not answer within 200 ms \(1 attempt/);
      expect(received).toBe(1);
      await new Promise((r) => setTimeout(r, 350)); // the cool-down is over
      const probing = await timed(() => gateway.request(QUERY).catch((error: Error) => error));
      expect(probing.result).toBeInstanceOf(gatewayModule.ShopUnavailableError);
      expect(probing.ms).toBeLessThan(100);
      await until(() => received === 2); // the probe, not the work, went to the shop
      await until(() => gatewayModule.shopUnavailableUntil(shop) !== null); // no answer: cooling down again
      down = false;
      await until(() => gatewayModule.shopUnavailableUntil(shop) === null);
      await gateway.request(QUERY).catch(() => null); // starts the probe, which is answered
      await until(() => received === 3);
      // The probe was answered; once its answer is read (not at once on a busy machine), work goes through.
      const answer = () =>
        gateway.request<{ shop: { name: string } }>(QUERY).then(
          (data) => data.shop.name,
          () => null,
        );
      await expect.poll(answer, { timeout: 5_000, interval: 20 }).toBe("Back");
      expect(received, "the probe, then the work itself").toBe(4);
    } finally {
      for (const close of held) close();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it("the healthy shop's events are applied in bounded time; the hung shop's wait without using up attempts", async () => {
    await hungFulfillment();
    await hungFulfillment();
    const order = await placeOrder("first");
    const { ms } = await timed(batch);
    expect(ms).toBeLessThan(5_000); // the shop deadline (1 s) and slack; unbounded before
    expect(await app.prisma.order.findUnique({ where: { id: order.id } })).toMatchObject({
      payments: [expect.objectContaining({ method: "card" })],
    });
    const waiting = await app.prisma.webhookEvent.findMany({ where: { shop: HUNG } });
    expect(waiting).toHaveLength(2);
    for (const event of waiting) {
      expect(event).toMatchObject({ status: "pending", attempts: 0, lockedBy: null });
      expect(event.lastError).toMatch(/hung-store\.myshopify\.com.*(did not answer|deadline)/);
      expect(event.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000); // the shop's cool-down
    }
    expect(gatewayModule.shopUnavailableUntil(HUNG)).not.toBeNull();

    // While it cools down, new events of the hung shop are put off at once and the healthy shop goes on.
    const contacted = requests;
    await hungFulfillment();
    const second = await placeOrder("second");
    const next = await timed(batch);
    expect(next.ms).toBeLessThan(1_000);
    expect(requests).toBe(contacted);
    expect(await app.prisma.order.findUnique({ where: { id: second.id } })).not.toBeNull();
    expect(await app.prisma.webhookEvent.count({ where: { shop: HUNG, status: "pending", attempts: 0 } })).toBe(3);
    expect(await app.prisma.webhookEvent.count({ where: { shop: store.domain, status: { not: "done" } } })).toBe(0);
  });

  it("a throttled shop's events wait for its bucket to refill; the other shop's go on at once", async () => {
    const bucket = app.emulatorOf(throttled.domain).throttle;
    bucket.configure({ maximumAvailable: 1_000, restoreRate: 1 });
    bucket.take(1_000); // spent: each query waits tens of seconds for its points
    const slow = await placeOrder("throttled", throttled);
    const order = await placeOrder("beside the throttled one");
    const { ms } = await timed(batch);
    expect(ms).toBeLessThan(5_000);
    expect(await app.prisma.order.findUnique({ where: { id: order.id } })).not.toBeNull();
    expect(await app.prisma.order.findUnique({ where: { id: slow.id } })).toBeNull();
    // Its product and inventory events need no Admin API call and are applied; its order events wait.
    const waiting = await app.prisma.webhookEvent.findMany({
      where: { shop: throttled.domain, topic: { startsWith: "orders/" } },
    });
    expect(waiting.length).toBeGreaterThan(0);
    for (const event of waiting) {
      expect(event).toMatchObject({ status: "pending", attempts: 0 });
      // Put off at once (the refill is known to take past the deadline), not after waiting for the deadline.
      expect(event.lastError).toMatch(/throttled-store\.myshopify\.com: Throttled; tried again later/);
      expect(event.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 5_000);
    }
    expect(gatewayModule.shopUnavailableUntil(throttled.domain)).toBeNull(); // throttled is not down
  });

  it("a worker keeps applying events while a hung shop's reconciliation runs beside them", async () => {
    const RECONCILING = "hung-reconcile.myshopify.com";
    for (const domain of [RECONCILING, store.domain])
      await app.prisma.shop.upsert({
        where: { domain },
        create: { domain, settings: JSON.parse(JSON.stringify(presetSettings())) },
        update: {},
      });
    const before = requests;
    const controller = new AbortController();
    const worker = app.processor.runWorker(
      {
        db: app.prisma,
        workerId: "w",
        gateway: (shop) =>
          shop === RECONCILING
            ? Promise.resolve(
                new gatewayModule.AdminGateway(shop, "t", {
                  origin: hungOrigin,
                  timeoutMs: 1_500,
                  budgetMs: 2_000,
                }),
              )
            : gateways(shop),
        reconcileEveryMs: 0,
        pollMs: 20,
        shopDeadlineMs: 1_000,
      },
      controller.signal,
    );
    try {
      const deadline = performance.now() + 4_000;
      while (requests === before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(requests).toBeGreaterThan(before); // the hung shop's reconciliation is waiting on it now
      const order = await placeOrder("third");
      let applied = null;
      while (!applied && performance.now() < deadline)
        applied = await app.prisma.order.findUnique({ where: { id: order.id } }).then(async (found) => {
          if (!found) await new Promise((r) => setTimeout(r, 20));
          return found;
        });
      expect(applied).not.toBeNull();
    } finally {
      controller.abort();
      await worker;
    }
  }, 30_000);
});
