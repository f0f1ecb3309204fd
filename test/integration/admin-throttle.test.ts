import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { startEmulator, type Emulator } from "../emulator/server";
import { stubAppEnv } from "../support/app-env";

/**
 * The install backfill and the inventory audit spend the shop's Admin API
 * query-cost bucket in the background; the merchant's own page must still load.
 */
let emulator: Emulator;
let token: string;
const ORDERS_QUERY = `#graphql
  query Orders { orders(first: 10) { nodes { id name } } }
`;

beforeAll(async () => {
  stubAppEnv("file:/dev/null");
  const store = createStore();
  const customer = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
  for (let i = 0; i < 3; i++)
    orderAt(store, {
      customer,
      items: [oneOfAKind(store, { title: `Item ${i}`, priceCents: 50_000 })],
      stage: "paid",
      placedAt: new Date("2026-11-20T15:00:00Z"),
    });
  emulator = await startEmulator({
    store,
    app: { apiKey: "k", secret: "s", title: "Policy Guard", handle: "policy-guard", appUrl: "http://127.0.0.1:9" },
    subscribeFromToml: false,
  });
  token = emulator.installToken();
});
afterAll(async () => {
  await emulator.close();
  vi.unstubAllEnvs();
});

describe("Admin API throttling", () => {
  it("background calls never spend the last 30 % of the bucket", async () => {
    const { AdminGateway, INTERACTIVE_RESERVE } = await import("../../app/services/shopify/admin-gateway.server");
    emulator.throttle.configure({ maximumAvailable: 100, restoreRate: 20 });
    const gateway = new AdminGateway(emulator.store.domain, token, { origin: emulator.origin });
    let lowest = Infinity;
    for (let i = 0; i < 12; i++) {
      await gateway.request(ORDERS_QUERY);
      lowest = Math.min(lowest, emulator.throttle.status().currentlyAvailable);
    }
    const cost = 12; // orders(first: 10): 10 nodes + the connection + the query
    // Without the reserve, 12 queries of 12 points drain a 100-point bucket; with it, one query dips below 30 at most.
    expect(lowest).toBeGreaterThanOrEqual(100 * INTERACTIVE_RESERVE - cost - 1);
    expect(lowest).toBeLessThan(100 * INTERACTIVE_RESERVE + cost);
  }, 30_000);

  it("the merchant's page waits out a throttle instead of failing, and does not hide other errors", async () => {
    const { waitingOutThrottles } = await import("../../app/services/shopify/admin-gateway.server");
    const throttled = {
      body: {
        errors: { graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
        extensions: {
          cost: { requestedQueryCost: 43, throttleStatus: { currentlyAvailable: 40, restoreRate: 100 } },
        },
      },
    };
    let calls = 0;
    const answer = await waitingOutThrottles(async () => {
      if (++calls < 3) throw throttled;
      return "orders";
    });
    expect(answer).toBe("orders");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      waitingOutThrottles(async () => {
        calls++;
        throw new Error("Access denied for orders field");
      }),
    ).rejects.toThrow(/Access denied/);
    expect(calls).toBe(1);
    await expect(waitingOutThrottles(async () => Promise.reject(throttled), 2)).rejects.toBe(throttled);
  });
});
