/**
 * `npm run demo`: the app against a seeded demo store, no Shopify account needed.
 * Starts the store emulator (acting as the Shopify admin, App Bridge and the
 * Admin API), builds and serves the app wired to it, and prints the URL to open.
 *
 * Options (environment): DEMO_APP_PORT (3000), DEMO_ADMIN_PORT (3001),
 * BUILD_DIR (build/; with --no-build, an existing build), DEMO_DATABASE
 * (prisma/demo.sqlite, recreated on each start), DEMO_SESSION_TOKEN_TTL
 * (seconds a session token lives, 60 as in Shopify).
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { demoStore } from "../test/emulator/demo-store";
import { tomlScopes } from "../test/emulator/app-config";
import { startEmulator } from "../test/emulator/server";
import { startCarrierEmulator } from "../test/emulator/carrier/server";
import { routeShopTrafficTo } from "../test/emulator/shop-routing";
import { deployMigrations } from "../prisma/migrator";
import { DEMO_API_KEY } from "../app/env.server";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The preferred port, or any free one when it is taken (or 0). */
function listenPort(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

async function port(preferred: number): Promise<number> {
  for (const candidate of [preferred, 0]) {
    const probe = createServer();
    const found = await listenPort(probe, candidate).catch(() => null);
    await new Promise((resolve) => probe.close(resolve));
    if (found) return found;
  }
  throw new Error("No free port on 127.0.0.1");
}

const buildDir = resolve(ROOT, process.env.BUILD_DIR || "build");
if (!process.argv.includes("--no-build")) {
  console.log("Building the app…");
  execFileSync(process.execPath, [join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: ROOT,
    env: { ...process.env, BUILD_DIR: buildDir },
    stdio: "ignore",
  });
}

/**
 * The app allows framing by Shopify's admin only (Content-Security-Policy
 * frame-ancestors); here the emulated admin frames it, so its origin is added.
 */
function frameableBy(adminOrigin: string): express.RequestHandler {
  return (_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name, value) =>
      setHeader(
        name,
        name.toLowerCase() === "content-security-policy"
          ? String(value).replace("frame-ancestors", `frame-ancestors ${adminOrigin}`)
          : value,
      );
    next();
  };
}

const appPort = await port(Number(process.env.DEMO_APP_PORT ?? 3000));
const appUrl = `http://127.0.0.1:${appPort}`;
const app = {
  apiKey: DEMO_API_KEY,
  secret: randomBytes(24).toString("hex"),
  title: "Policy Guard",
  handle: "policy-guard",
  appUrl,
};

const seededAt = new Date();
const store = demoStore(seededAt);
const emulator = await startEmulator({
  store,
  app,
  port: await port(Number(process.env.DEMO_ADMIN_PORT ?? 3001)),
  sessionTokenTtlSeconds: Number(process.env.DEMO_SESSION_TOKEN_TTL ?? 60),
});

// EasyPost, emulated: return labels are bought from it and its signed tracking webhooks reach the app.
const carrierKeys = {
  apiKey: `EZTK${randomBytes(12).toString("hex")}`,
  webhookSecret: randomBytes(24).toString("hex"),
};
const carrier = await startCarrierEmulator({ ...carrierKeys, webhookUrl: `${appUrl}/webhooks/carrier` });
// The label goes back to the shop's location: the demo's warehouse has an address.
store.primaryLocation.address ??= {
  address1: "500 Madison Avenue",
  address2: null,
  city: "New York",
  provinceCode: "NY",
  zip: "10022",
  countryCode: "US",
  phone: "+12125550100",
};

const databaseFile = resolve(ROOT, process.env.DEMO_DATABASE || "prisma/demo.sqlite");
rmSync(databaseFile, { force: true });
await deployMigrations(`file:${databaseFile}`);

Object.assign(process.env, {
  NODE_ENV: "development",
  SHOPIFY_API_KEY: app.apiKey,
  SHOPIFY_API_SECRET: app.secret,
  SHOPIFY_APP_URL: appUrl,
  SCOPES: tomlScopes().join(","),
  DATABASE_URL: `file:${databaseFile}`,
  // Background work (install backfill, payment facts) reaches the emulator too.
  ADMIN_API_ORIGIN: emulator.origin,
  // Offline there is no Shopify CDN: the emulated admin's App Bridge talks to its admin page.
  APP_BRIDGE_URL: emulator.appBridgeUrl(),
  EASYPOST_API_KEY: carrierKeys.apiKey,
  EASYPOST_WEBHOOK_SECRET: carrierKeys.webhookSecret,
  EASYPOST_BASE_URL: carrier.baseUrl,
});
routeShopTrafficTo(store.domain, emulator.origin);

const build = (await import(pathToFileURL(join(buildDir, "server/index.js")).href)) as ServerBuild;
const server = express();
server.disable("x-powered-by");
server.use(frameableBy(emulator.origin));
server.use("/assets", express.static(join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
server.use(express.static(join(buildDir, "client"), { maxAge: "1h" }));
server.all("*", createRequestHandler({ build, mode: "development" }));
/** Where a shopper reaches the return portal in the demo: the online store's page and the extensions' backend. */
function portalLines(): string {
  const order = store.orders.find((o) =>
    o.lineItems.some((line: { title: string }) => line.title.startsWith("Gucci Horsebit")),
  );
  return `
  Return portal, as a shopper (open the admin above once first: that installs the app;
  then log in as Maya Chen: her order ${order?.name} can be returned):
    Online store page:     ${emulator.origin}/apps/returns
    Customer accounts:     the extensions call ${appUrl}/api/portal/{options,status,request,cancel};
                           logged in, ${emulator.origin}/account/session-token gives their session token:
                           curl -H "Authorization: Bearer $TOKEN" "${appUrl}/api/portal/options?orderId=${order?.id}"`;
}

const listener = server.listen(appPort, "127.0.0.1", () => {
  console.log(`
Policy Guard demo is running against the store emulator (${store.shop.name}, ${store.domain}).
Store clock at seeding: ${seededAt.toISOString()} (${seededAt.toLocaleString("en-US", { timeZone: store.shop.ianaTimezone, timeZoneName: "short" })})

  Open the Shopify admin:  ${emulator.origin}/admin
  (the app itself:         ${emulator.adminAppUrl()})
${portalLines()}

Press Ctrl+C to stop.`);
});

const stop = async () => {
  listener.close();
  await emulator.close();
  await carrier.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
