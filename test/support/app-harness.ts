import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { startEmulator, type Emulator } from "../emulator/server";
import type { EmulatedStore } from "../emulator/store";
import { stubAppEnv } from "./app-env";

export const APP_SECRET = "integration-secret";

/**
 * The app's services against a fresh migrated SQLite database, with the store
 * emulator as Shopify and a loopback /webhooks endpoint running the real ingestion.
 * `otherStores` are installed too, each served by an emulator of its own: the
 * gateway reaches the emulator of the shop it is asked for.
 */
export async function startAppHarness(
  store: EmulatedStore,
  options: { webhooks?: Parameters<typeof startEmulator>[0]["webhooks"]; otherStores?: EmulatedStore[] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "policy-guard-it-"));
  const databaseUrl = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(databaseUrl);
  stubAppEnv(databaseUrl, { SHOPIFY_API_KEY: "integration-key", SHOPIFY_API_SECRET: APP_SECRET });

  const { default: prisma } = await import("../../app/db.server");
  const inbox = await import("../../app/services/inbox/webhook-inbox.server");
  const processor = await import("../../app/services/webhooks/webhook-processor.server");
  const { AdminGateway } = await import("../../app/services/shopify/admin-gateway.server");

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const response = await inbox.ingestWebhook(request);
    res.writeHead(response.status);
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emulators = new Map<string, { emulator: Emulator; token: string }>();
  for (const each of [store, ...(options.otherStores ?? [])]) {
    const started = await startEmulator({
      store: each,
      app: { apiKey: "integration-key", secret: APP_SECRET, title: "Policy Guard", handle: "policy-guard", appUrl },
      webhooks: options.webhooks,
    });
    started.throttle.configure({ maximumAvailable: 20_000, restoreRate: 1_000 });
    emulators.set(each.domain, { emulator: started, token: started.installToken() });
  }
  const { emulator } = emulators.get(store.domain)!;
  const gateway = async (shop: string) => {
    const installed = emulators.get(shop);
    if (!installed) throw new Error(`${shop} is not installed`);
    return new AdminGateway(shop, installed.token, { origin: installed.emulator.origin });
  };
  /**
   * POST a body to /webhooks validly signed with the app's secret (Shopify signs the
   * body only, with one secret for every shop) under the headers given.
   */
  const deliver = (body: string, headers: { topic: string; shop: string; webhookId: string; triggeredAt?: string }) =>
    fetch(`${appUrl}/webhooks`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": headers.topic,
        "x-shopify-shop-domain": headers.shop,
        "x-shopify-webhook-id": headers.webhookId,
        "x-shopify-hmac-sha256": createHmac("sha256", APP_SECRET).update(body).digest("base64"),
        ...(headers.triggeredAt ? { "x-shopify-triggered-at": headers.triggeredAt } : {}),
      },
    });
  /** The emulator serving a shop (the first store's unless named). */
  const emulatorOf = (shop = store.domain) => emulators.get(shop)!.emulator;

  /** Process the inbox until nothing is due. */
  const drain = async (now?: Date) => {
    let total = 0;
    for (;;) {
      const n = await processor.processBatch({
        db: prisma,
        workerId: "test-worker",
        gateway,
        clock: now ? () => now : undefined,
      });
      total += n;
      if (n === 0) return total;
    }
  };

  /** The shop installed as Shopify leaves it: its offline session stored (admin routes and the gateway need no token exchange). */
  const storeOfflineSession = (shop = store.domain, scope = "read_orders,write_orders") =>
    prisma.session.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "",
        isOnline: false,
        scope,
        accessToken: emulators.get(shop)!.emulator.installToken(),
      },
    });

  return {
    prisma,
    inbox,
    storeOfflineSession,
    processor,
    emulator,
    emulatorOf,
    /** The SQLite database file (its write-ahead log beside it, with "-wal"). */
    databaseFile: join(dir, "app.sqlite"),
    appUrl,
    gateway,
    deliver,
    drain,
    close: async () => {
      for (const { emulator: each } of emulators.values()) await each.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await prisma.$disconnect();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
