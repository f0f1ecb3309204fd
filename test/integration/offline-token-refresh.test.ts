import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { gatewayFor as GatewayFor } from "../../app/services/shopify/admin-gateway.server";
import type { OfflineGrant } from "../emulator/auth";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { APP_SECRET, startAppHarness } from "../support/app-harness";

/**
 * Expiring offline tokens (1 hour, as Shopify gives them): background work
 * refreshes them itself, before expiry and on a 401, and two workers refreshing
 * at once keep a pair that still works. The emulator's clock is moved past
 * expiry; the gateway judges expiry by the same moved clock.
 */
const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
let gatewayFor: typeof GatewayFor;
const MINUTE = 60_000;
const SHOP_QUERY = `#graphql
  query ShopName { shop { name } }
`;

beforeAll(async () => {
  app = await startAppHarness(store);
  ({ gatewayFor } = await import("../../app/services/shopify/admin-gateway.server"));
});
afterAll(() => app.close());
afterEach(() => vi.restoreAllMocks());

const now = () => app.emulator.clock.now();

/** What the Shopify library stores after token exchange with expiring offline tokens. */
async function install(grant: OfflineGrant, issuedAt = now()): Promise<void> {
  const storage = new PrismaSessionStorage(app.prisma);
  await storage.storeSession(
    new Session({
      id: `offline_${store.domain}`,
      shop: store.domain,
      state: "",
      isOnline: false,
      scope: grant.scope,
      accessToken: grant.access_token,
      expires: new Date(issuedAt + grant.expires_in * 1000),
      refreshToken: grant.refresh_token,
      refreshTokenExpires: new Date(issuedAt + grant.refresh_token_expires_in * 1000),
    }),
  );
}

const stored = () => app.prisma.session.findUniqueOrThrow({ where: { id: `offline_${store.domain}` } });
const open = (options: Parameters<typeof gatewayFor>[1] = {}) =>
  gatewayFor(store.domain, { db: app.prisma, origin: app.emulator.origin, now, ...options });

describe("background work with expiring offline tokens", () => {
  it("an hour after install, order events still apply and reconciliation runs: the token is refreshed before use", async () => {
    const grant = app.emulator.installExpiringToken();
    await install(grant);
    app.emulator.clock.advance(61 * MINUTE);
    const refreshes = app.emulator.tokens.refreshLog.length;

    const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
    const order = orderAt(store, {
      customer: maya,
      items: [oneOfAKind(store, { title: "Watch", priceCents: 60_000 })],
      stage: "paid",
      placedAt: new Date("2026-11-02T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    for (let n = 1; n > 0;)
      n = await app.processor.processBatch({ db: app.prisma, workerId: "w", gateway: () => open() });

    // orders/create needs the payment facts from the Admin API: they are there, nothing failed.
    const saved = await app.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(saved.payments).toEqual([expect.objectContaining({ method: "card" })]);
    expect(await app.prisma.webhookEvent.count({ where: { status: { not: "done" } } })).toBe(0);
    expect(app.emulator.tokens.refreshLog.slice(refreshes)).toEqual(["issued"]);

    const session = await stored();
    expect(session.accessToken).not.toBe(grant.access_token);
    expect(session.refreshToken).not.toBe(grant.refresh_token);
    // Lifetimes from the refresh answer, counted from when it came (the emulator's clock runs on meanwhile).
    expect(now() + 3600 * 1000 - session.expires!.getTime()).toBeGreaterThanOrEqual(0);
    expect(now() + 3600 * 1000 - session.expires!.getTime()).toBeLessThan(MINUTE);
    expect(session.refreshTokenExpires!.getTime() - session.expires!.getTime()).toBe((90 * 86_400 - 3600) * 1000);

    // Another hour on, the periodic pull refreshes again (with the replacement refresh token) and works.
    app.emulator.clock.advance(61 * MINUTE);
    const { reconcileOrders } = await import("../../app/services/orders/reconcile.server");
    await expect(reconcileOrders(app.prisma, await open())).resolves.toBeGreaterThanOrEqual(0);
    expect(app.emulator.tokens.refreshLog.slice(refreshes)).toEqual(["issued", "issued"]);
  });

  it("a 401 refreshes the token and retries, when the app's clock still thinks the token is fresh", async () => {
    const grant = app.emulator.installExpiringToken();
    const issuedAt = now();
    await install(grant, issuedAt);
    app.emulator.clock.advance(2 * 60 * MINUTE);
    const gateway = await open({ now: () => issuedAt });
    await expect(gateway.request(SHOP_QUERY)).resolves.toEqual({ shop: { name: "ALLU Demo" } });
    expect((await stored()).accessToken).not.toBe(grant.access_token);
    expect(app.emulator.tokens.refreshLog.at(-1)).toBe("issued");
  });

  it("two workers refreshing at once both go on, and the stored pair keeps working", async () => {
    await install(app.emulator.installExpiringToken());
    app.emulator.clock.advance(61 * MINUTE);
    const [a, b] = await Promise.all([open(), open()]); // two processes, each with the session it read
    await expect(Promise.all([a.request(SHOP_QUERY), b.request(SHOP_QUERY)])).resolves.toHaveLength(2);
    app.emulator.clock.advance(61 * MINUTE);
    await expect((await open()).request(SHOP_QUERY)).resolves.toEqual({ shop: { name: "ALLU Demo" } });
    expect(app.emulator.tokens.refreshLog.slice(-3)).toEqual(["issued", "issued", "issued"]);
  });

  it("a slow refresh that finishes after another worker refreshed twice does not overwrite the newer pair", async () => {
    await install(app.emulator.installExpiringToken());
    app.emulator.clock.advance(61 * MINUTE);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered!: () => void;
    const slowAnswered = new Promise<void>((resolve) => (answered = resolve));
    // Worker B's refresh is answered by Shopify, then B stalls before storing it.
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith("/admin/oauth/access_token")) {
        answered();
        await held;
      }
      return response;
    };
    const slow = await open({ fetchImpl: slowFetch });
    const slowRequest = slow.request(SHOP_QUERY);
    await slowAnswered;

    // Worker A refreshes, and an hour later refreshes again with the replacement: B's pair is retired by Shopify.
    await (await open()).request(SHOP_QUERY);
    app.emulator.clock.advance(61 * MINUTE);
    await (await open()).request(SHOP_QUERY);
    const newest = await stored();

    release();
    await expect(slowRequest).resolves.toEqual({ shop: { name: "ALLU Demo" } });
    const after = await stored();
    expect(after.refreshToken).toBe(newest.refreshToken);
    expect(after.accessToken).toBe(newest.accessToken);
    app.emulator.clock.advance(61 * MINUTE);
    await expect((await open()).request(SHOP_QUERY)).resolves.toEqual({ shop: { name: "ALLU Demo" } });
    expect(app.emulator.tokens.refreshLog.slice(-4)).toEqual(["issued", "issued", "issued", "issued"]);
  });

  it("a refresh token Shopify refuses fails readably, and no token or secret reaches an error or a log", async () => {
    const grant = app.emulator.installExpiringToken();
    await install(grant);
    app.emulator.clock.advance(61 * MINUTE);
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error"] as const)
      vi.spyOn(console, level).mockImplementation((...args) => void logged.push(args.map(String).join(" ")));
    app.emulator.tokens.revokeAll(); // the refresh token no longer exists (uninstalled, or expired long ago)
    const failure = await (await open()).request(SHOP_QUERY).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/refused the refresh token .*invalid_grant.*open the app/);
    const said = [(failure as Error).message, (failure as Error).stack ?? "", ...logged].join("\n");
    for (const secret of [grant.access_token, grant.refresh_token, APP_SECRET]) expect(said).not.toContain(secret);
  });
});
