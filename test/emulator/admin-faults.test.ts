import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as GatewayModule from "../../app/services/shopify/admin-gateway.server";
import { createStore } from "./builders";
import { startEmulator, type Emulator } from "./server";
import { stubAppEnv } from "../support/app-env";

/**
 * The emulator's Admin API answers bursts of transient failures when told to
 * (and only then), as Shopify's do: 5xx with and without Retry-After, THROTTLED
 * with the query's cost. The gateway rides them out: it retries, waits as long
 * as Retry-After asks, and when the burst outlasts its attempts it puts the work
 * off (ShopUnavailableError) rather than failing it.
 */
let emulator: Emulator;
let token: string;
let gateways: typeof GatewayModule;
const QUERY = `#graphql
  query ShopName { shop { name } }
`;

beforeAll(async () => {
  stubAppEnv("file:/dev/null");
  emulator = await startEmulator({
    store: createStore(),
    app: { apiKey: "k", secret: "s", title: "Policy Guard", handle: "policy-guard", appUrl: "http://127.0.0.1:9" },
    subscribeFromToml: false,
  });
  token = emulator.installToken();
  gateways = await import("../../app/services/shopify/admin-gateway.server");
});
afterAll(async () => {
  await emulator.close();
  vi.unstubAllEnvs();
});

/** A gateway of its own shop name (outages are kept per shop), to the one emulator. */
const gatewayFor = (shop: string, maxAttempts = 6) =>
  new gateways.AdminGateway(`${shop}.myshopify.com`, token, { origin: emulator.origin, maxAttempts });

describe("Admin API faults", () => {
  it("answers a planned burst, one fault per request, counts each, then answers normally", async () => {
    const post = (path: string, body?: unknown) =>
      fetch(emulator.origin + path, {
        method: body === undefined ? "GET" : "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const before = emulator.faults.total;
    const planned = await post("/emulator/faults", {
      burst: [
        { kind: "status", status: 502 },
        { kind: "status", status: 503, retryAfterSeconds: 3 },
        { kind: "throttled" },
      ],
    });
    expect(await planned.json()).toMatchObject({ pending: 3 });
    const graphql = () => post("/admin/api/2026-10/graphql.json", { query: QUERY });

    const badGateway = await graphql();
    expect(badGateway.status).toBe(502);
    expect(badGateway.headers.get("content-type")).toMatch(/text\/html/);
    const unavailable = await graphql();
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("3");
    const throttled = await graphql();
    expect(throttled.status).toBe(200);
    const body = await throttled.json();
    expect(body.errors[0].extensions.code).toBe("THROTTLED");
    // Shopify's shape: what the query costs and a bucket that cannot pay for it now.
    const { requestedQueryCost, throttleStatus } = body.extensions.cost;
    expect(requestedQueryCost).toBeGreaterThan(0);
    expect(throttleStatus.currentlyAvailable).toBeLessThan(requestedQueryCost);
    expect(throttleStatus.restoreRate).toBeGreaterThan(0);
    expect((await (await graphql()).json()).data.shop.name).toBeTruthy(); // the burst is over

    expect(emulator.faults.total - before).toBe(3);
    expect(await (await post("/emulator/faults")).json()).toMatchObject({
      pending: 0,
      given: { "502": 1, "503 Retry-After: 3": 1, THROTTLED: 1 },
    });
    expect((await post("/emulator/faults", { burst: "503" })).status).toBe(400);
  });

  it("the gateway retries 502, 500, THROTTLED and 504 answers and gets its data", async () => {
    emulator.faults.burst([
      { kind: "status", status: 502 },
      { kind: "status", status: 500 },
      { kind: "throttled" },
      { kind: "status", status: 504 },
    ]);
    const before = emulator.faults.total;
    const answer = await gatewayFor("bursty").request<{ shop: { name: string } }>(QUERY);
    expect(answer.shop.name).toBeTruthy();
    expect(emulator.faults.total - before).toBe(4);
    expect(emulator.faults.pending).toBe(0);
    expect(gateways.shopUnavailableUntil("bursty.myshopify.com")).toBeNull();
  });

  it("a 503 with Retry-After is retried no sooner than it asks", async () => {
    emulator.faults.burst([{ kind: "status", status: 503, retryAfterSeconds: 2 }]);
    const started = performance.now();
    await gatewayFor("patient").request(QUERY);
    // Without honouring it, the retry goes after 250 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it("a 5xx burst that outlasts the attempts puts the work off: the shop cools down, nothing fails for good", async () => {
    emulator.faults.burst(Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 503 as const })));
    const failure = await gatewayFor("down", 3)
      .request(QUERY)
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(gateways.ShopUnavailableError);
    expect((failure as Error).message).toMatch(/Service Unavailable \(HTTP 503\) \(3 attempts in \d+ s\)/);
    const until = gateways.shopUnavailableUntil("down.myshopify.com");
    expect(until).not.toBeNull();
    expect((failure as GatewayModule.ShopUnavailableError).retryAt).toEqual(until);
  });

  it("a throttle that outlasts the attempts puts the work off until the bucket refills, the shop not marked down", async () => {
    emulator.faults.burst(Array.from({ length: 3 }, () => ({ kind: "throttled" as const, restoreRate: 50 })));
    const started = Date.now();
    const failure = await gatewayFor("throttled", 3)
      .request(QUERY)
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(gateways.ShopUnavailableError);
    expect((failure as Error).message).toMatch(/Throttled \(3 attempts/);
    expect((failure as GatewayModule.ShopUnavailableError).retryAt.getTime()).toBeGreaterThan(started);
    expect(gateways.shopUnavailableUntil("throttled.myshopify.com")).toBeNull();
  });
});
