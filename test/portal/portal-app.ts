/**
 * The app's production build served over HTTP in this test process, wired to a store emulator
 * that also plays the shop's storefront (its app proxy) and its customer accounts (session
 * tokens): what Shopify puts between a shopper and the return portal.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { vi } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { tomlScopes } from "../emulator/app-config";
import { signCustomerAccountToken } from "../emulator/customer-account";
import { startEmulator, type Emulator } from "../emulator/server";
import { routeShopTrafficTo } from "../emulator/shop-routing";
import type { EmulatedStore } from "../emulator/store";
import { storefront } from "../emulator/storefront-proxy";
import { appBuild } from "../support/app-build";
import { freePort } from "../support/server";

export const PORTAL_API_KEY = "portal-test-key";

export interface PortalApp {
  appUrl: string;
  emulator: Emulator;
  secret: string;
  prisma: PrismaClient;
  /** A customer account extension's session token for `customerId` (now, 5 minutes). */
  token(
    customerId: string,
    options?: Omit<Parameters<typeof signCustomerAccountToken>[0], "shop" | "apiKey" | "secret" | "customerId">,
  ): string;
  /** Rows the portal writes, and the returns Shopify holds: what "nothing created" is checked against. */
  drain(): Promise<void>;
  counts(): Promise<{ returns: number; appReturns: number; actions: number; cancelled: number }>;
  close(): Promise<void>;
}

/**
 * Starts everything for `store` (installed: its offline session stored and the install's
 * backfill run, so the app holds the orders). The caller fakes Date first: the app, the
 * emulator and the tokens then all live at the same set moment.
 */
export async function startPortalApp(store: EmulatedStore): Promise<PortalApp> {
  const buildDir = await appBuild();
  const dir = mkdtempSync(join(tmpdir(), "policy-guard-portal-"));
  const databaseUrl = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(databaseUrl);
  const secret = randomBytes(24).toString("hex");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const emulator = await startEmulator({
    store,
    app: { apiKey: PORTAL_API_KEY, secret, title: "Policy Guard", handle: "policy-guard", appUrl },
  });
  emulator.throttle.configure({ maximumAvailable: 20_000, restoreRate: 1_000 });
  for (const [name, value] of Object.entries({
    NODE_ENV: "test",
    SHOPIFY_API_KEY: PORTAL_API_KEY,
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: tomlScopes().join(","),
    DATABASE_URL: databaseUrl,
    ADMIN_API_ORIGIN: emulator.origin,
    WEBHOOK_WORKER: "inline",
  }))
    vi.stubEnv(name, value);
  routeShopTrafficTo(store.domain, emulator.origin);

  const build = (await import(pathToFileURL(join(buildDir, "server/index.js")).href)) as ServerBuild;
  const server = express();
  server.all("*", createRequestHandler({ build, mode: "production" }));
  const listener: Server = await new Promise((resolve) => {
    const started = server.listen(port, "127.0.0.1", () => resolve(started));
  });

  const { default: prisma } = await import("../../app/db.server");
  const { PrismaSessionStorage } = await import("@shopify/shopify-app-session-storage-prisma");
  const { Session } = await import("@shopify/shopify-api");
  const shops = await import("../../app/services/shops/shops.server");
  const { processBatch } = await import("../../app/services/webhooks/webhook-processor.server");
  const { gatewayFor } = await import("../../app/services/shopify/admin-gateway.server");
  /** Webhooks delivered and the inbox processed (the backfill's snapshots, the webhooks of what changed). */
  const drain = async () => {
    await emulator.webhooks.idle();
    while ((await processBatch({ db: prisma, workerId: "portal-test", gateway: (shop) => gatewayFor(shop) })) > 0);
  };
  await new PrismaSessionStorage(prisma).storeSession(
    new Session({
      id: `offline_${store.domain}`,
      shop: store.domain,
      state: "",
      isOnline: false,
      scope: tomlScopes().join(","),
      accessToken: emulator.installToken(),
    }),
  );
  await shops.ensureShop(store.domain);
  await shops.afterInstall(store.domain);
  await drain();

  return {
    appUrl,
    emulator,
    secret,
    prisma,
    drain,
    token: (customerId, options = {}) =>
      signCustomerAccountToken({ shop: store.domain, apiKey: PORTAL_API_KEY, secret, customerId, ...options }),
    counts: async () => ({
      returns: store.returns.length,
      appReturns: await prisma.return.count(),
      actions: await prisma.shopifyAction.count(),
      cancelled: store.orders.filter((order) => order.cancelledAt).length,
    }),
    close: async () => {
      storefront(store).signingOffsetMs = 0;
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeAllConnections();
      await emulator.close();
      await prisma.$disconnect();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
