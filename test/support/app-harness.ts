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
 */
export async function startAppHarness(
  store: EmulatedStore,
  options: { webhooks?: Parameters<typeof startEmulator>[0]["webhooks"] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "policy-guard-it-"));
  const databaseUrl = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(databaseUrl);
  stubAppEnv(databaseUrl, { SHOPIFY_API_KEY: "integration-key", SHOPIFY_API_SECRET: APP_SECRET });

  const { default: prisma } = await import("../../app/db.server");
  const inbox = await import("../../app/services/webhook-inbox.server");
  const processor = await import("../../app/services/webhook-processor.server");
  const { AdminGateway } = await import("../../app/services/admin-gateway.server");

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
  const emulator: Emulator = await startEmulator({
    store,
    app: { apiKey: "integration-key", secret: APP_SECRET, title: "Policy Guard", handle: "policy-guard", appUrl },
    webhooks: options.webhooks,
  });
  emulator.throttle.configure({ maximumAvailable: 20_000, restoreRate: 1_000 });
  const token = emulator.installToken();
  const gateway = async (shop: string) => new AdminGateway(shop, token, { origin: emulator.origin });

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

  return {
    prisma,
    inbox,
    processor,
    emulator,
    appUrl,
    gateway,
    drain,
    close: async () => {
      await emulator.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await prisma.$disconnect();
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
