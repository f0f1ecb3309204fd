import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../../prisma/migrator";
import { freshPostgresDatabase } from "../support/postgres-db";
import { createStore, oneOfAKind, orderAt, shopper, type Stage } from "../emulator/builders";
import { startEmulator, type Emulator } from "../emulator/server";
import type { PaymentKind } from "../emulator/store";
import { ROOT } from "../support/server";
import { stubAppEnv } from "../support/app-env";

/**
 * 10,000 deliveries of realistic order lifecycles, each webhook delivered 1–3
 * times in shuffled order, into PostgreSQL through the real ingestion, while
 * `npm run worker` is SIGKILLed five times and restarted. The final timelines
 * must equal a clean, in-order, single-delivery run.
 */
const postgresUrl = inject("postgresUrl");
const run = postgresUrl ? describe : describe.skip;
const SECRET = "fault-secret";
const TARGET_DELIVERIES = 10_000;

function rng(seed: number) {
  return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
}

async function database(name: string): Promise<string> {
  const url = await freshPostgresDatabase(postgresUrl!, name);
  await deployMigrations(url);
  return url;
}

let emulator: Emulator;
let faulty: PrismaClient;
let clean: PrismaClient;
let ingestServer: Server;
let worker: ChildProcess | null = null;
const workerLog: string[] = [];

run("faults: worker killed mid-run", () => {
  let urls: { faulty: string; clean: string };
  let token: string;

  beforeAll(async () => {
    urls = { faulty: await database("fault_faulty"), clean: await database("fault_clean") };
    stubAppEnv(urls.faulty, { SHOPIFY_API_KEY: "fault-key", SHOPIFY_API_SECRET: SECRET });
    const { createPrismaClient } = await import("../../app/database.server");
    faulty = createPrismaClient(urls.faulty);
    clean = createPrismaClient(urls.clean);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill("SIGKILL");
    await emulator?.close();
    ingestServer?.close();
    await faulty?.$disconnect();
    await clean?.$disconnect();
    vi.unstubAllEnvs();
  });

  it("ends with the same timelines as a clean in-order run: nothing lost, nothing applied twice", async () => {
    const { ingestWebhook } = await import("../../app/services/webhook-inbox.server");
    const { processBatch, sweepDueDeadlines } = await import("../../app/services/webhook-processor.server");
    const { AdminGateway } = await import("../../app/services/admin-gateway.server");

    // The faulty run's ingestion endpoint: the app's ingestion over real HTTP into PostgreSQL.
    ingestServer = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const response = await ingestWebhook(
        new Request(`http://localhost${req.url}`, {
          method: "POST",
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
        faulty,
        SECRET,
      );
      res.writeHead(response.status);
      res.end();
    });
    await new Promise<void>((resolve) => ingestServer.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(ingestServer.address() as AddressInfo).port}`;

    // Realistic lifecycles, their webhooks held back.
    const store = createStore();
    emulator = await startEmulator({
      store,
      app: { apiKey: "fault-key", secret: SECRET, title: "Policy Guard", handle: "policy-guard", appUrl },
    });
    emulator.throttle.configure({ maximumAvailable: 1_000_000, restoreRate: 100_000 });
    token = emulator.installToken();
    emulator.webhooks.hold();
    const random = rng(20261122);
    const stages: Stage[] = [
      "placed",
      "paid",
      "shipped",
      "in_transit",
      "delivered",
      "delivered",
      "return_requested",
      "return_approved",
      "refunded",
      "cancelled",
    ];
    const payments: PaymentKind[] = [
      "card",
      "shop_pay",
      "apple_pay",
      "paypal",
      "installments",
      "gift_card",
      "cash_on_delivery",
    ];
    const customers = Array.from({ length: 40 }, (_, i) =>
      shopper(store, { firstName: `C${i}`, lastName: "Shopper", email: `c${i}@example.com` }),
    );
    let held: ReturnType<typeof emulator.webhooks.takeHeld> = [];
    let copies: number[] = [];
    for (let i = 0; copies.reduce((a, b) => a + b, 0) < TARGET_DELIVERIES; i++) {
      const item = oneOfAKind(store, { title: `Item ${i}`, priceCents: 20_000 + Math.floor(random() * 80) * 1_000 });
      orderAt(store, {
        customer: customers[i % customers.length],
        items: [item],
        stage: stages[Math.floor(random() * stages.length)]!,
        payment: payments[Math.floor(random() * payments.length)]!,
        placedAt: new Date(Date.UTC(2026, 9, 1) + Math.floor(random() * 40 * 24) * 3_600_000),
        shippedAfterHours: 6 + Math.floor(random() * 60),
      });
      const more = emulator.webhooks.takeHeld();
      held = held.concat(more);
      copies = copies.concat(more.map(() => 1 + Math.floor(random() * 3)));
    }
    const deliveries = held.flatMap((d, i) => Array.from({ length: copies[i]! }, () => d));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    expect(deliveries.length).toBeGreaterThanOrEqual(TARGET_DELIVERIES);

    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    lap("generate");
    // The clean run: every webhook once, in order, processed in this process.
    for (const d of held) {
      const response = await ingestWebhook(
        new Request(appUrl + "/webhooks", { method: "POST", headers: d.headers, body: d.body }),
        clean,
        SECRET,
      );
      expect(response.status).toBe(200);
    }
    const gateway = async (shop: string) => new AdminGateway(shop, token, { origin: emulator.origin });
    for (;;) {
      if ((await processBatch({ db: clean, workerId: "clean", gateway, batchSize: 200 })) > 0) continue;
      // A retry waiting out its backoff: fast-forward it, and say why it failed.
      const waiting = await clean.webhookEvent.findMany({
        where: { status: "pending" },
        select: { id: true, topic: true, lastError: true },
      });
      if (!waiting.length) break;
      for (const w of waiting) console.warn(`clean run retried ${w.topic}: ${w.lastError?.split("\n")[0]}`);
      await clean.webhookEvent.updateMany({
        where: { id: { in: waiting.map((w) => w.id) } },
        data: { nextAttemptAt: new Date(0) },
      });
    }
    lap("clean run");
    expect(await clean.webhookEvent.count({ where: { status: "dead" } })).toBe(0);

    // The faulty run: a separate worker process, killed five times while deliveries pour in.
    await faulty.session.create({
      data: {
        id: `offline_${store.domain}`,
        shop: store.domain,
        state: "",
        isOnline: false,
        accessToken: token,
        scope: "read_orders",
      },
    });
    const startWorker = () => {
      const child = spawn(process.execPath, [`${ROOT}/node_modules/tsx/dist/cli.mjs`, "scripts/worker.ts"], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: urls.faulty,
          ADMIN_API_ORIGIN: emulator.origin,
          NODE_ENV: "development",
          WORKER_LEASE_MS: "1500",
          WORKER_POLL_MS: "20",
          WORKER_BATCH: "20",
        },
      });
      child.stdout!.on("data", (c) => workerLog.push(String(c)));
      child.stderr!.on("data", (c) => workerLog.push(String(c)));
      return child;
    };
    worker = startWorker();
    let sent = 0;
    const send = async () => {
      while (sent < deliveries.length) {
        const d = deliveries[sent++]!;
        const response = await fetch(d.uri, { method: "POST", headers: d.headers, body: d.body });
        expect(response.status).toBe(200);
      }
    };
    const senders = Promise.all(Array.from({ length: 8 }, send));
    let kills = 0;
    while (kills < 5) {
      await new Promise((r) => setTimeout(r, 2_500));
      const processed = await faulty.webhookEvent.count({ where: { status: "done" } });
      worker.kill("SIGKILL");
      await new Promise((r) => worker!.once("exit", r));
      kills++;
      workerLog.push(`-- killed #${kills} after ${processed} events processed, ${sent} deliveries sent\n`);
      worker = startWorker();
    }
    await senders;
    lap("faulty deliveries and kills");
    const deadline = Date.now() + 480_000;
    while ((await faulty.webhookEvent.count({ where: { status: { not: "done" } } })) > 0) {
      if (Date.now() > deadline) throw new Error(`inbox did not drain:\n${workerLog.join("").slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
    lap("faulty drain");
    console.log(`fault test: ${deliveries.length} deliveries of ${held.length} webhooks; ms per phase`, timings);
    expect(workerLog.join("")).toMatch(/killed #5/);

    // Nothing lost, nothing twice.
    expect(await faulty.webhookEvent.count()).toBe(held.length);
    expect(await faulty.webhookEvent.count({ where: { status: "dead" } })).toBe(0);
    const now = new Date();
    await sweepDueDeadlines(clean, now, 100_000);
    await sweepDueDeadlines(faulty, now, 100_000);

    const snapshot = async (db: PrismaClient) =>
      (
        await db.order.findMany({
          orderBy: { id: "asc" },
          include: {
            events: { orderBy: [{ occurredAt: "asc" }, { kind: "asc" }, { ref: "asc" }] },
            deadlines: { orderBy: { key: "asc" } },
          },
        })
      ).map((o) => ({
        id: o.id,
        state: o.state,
        events: o.events.map((e) => `${e.kind}|${e.ref}|${e.occurredAt.toISOString()}`),
        deadlines: o.deadlines.map((d) => `${d.key}|${d.rule}|${d.dueAt.toISOString()}|${d.settled}`),
      }));
    const expected = await snapshot(clean);
    expect(expected.length).toBeGreaterThan(500);
    const actual = await snapshot(faulty);
    const differing = actual.filter((o, i) => JSON.stringify(o) !== JSON.stringify(expected[i]));
    if (differing.length) {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(
        "/tmp/fault-diff.json",
        JSON.stringify(
          differing.slice(0, 5).map((o) => ({ faulty: o, clean: expected.find((e) => e.id === o.id) })),
          null,
          1,
        ),
      );
    }
    expect(actual).toEqual(expected);
  }, 900_000);
});
