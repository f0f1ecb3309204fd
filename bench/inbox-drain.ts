/**
 * Inbox drain: how many webhook events a worker process applies per second.
 * The events are realistic order lifecycles from the store emulator (which
 * also answers the Admin API calls they cause). Targets: ≥ 1,000 events/s per
 * worker on SQLite; on PostgreSQL, 2 workers ≥ 1.7× one.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../prisma/migrator";
import { createPrismaClient } from "../app/database.server";
import { createStore, oneOfAKind, orderAt, shopper, type Stage } from "../test/emulator/builders";
import { startEmulator } from "../test/emulator/server";
import type { PaymentKind } from "../test/emulator/store";
import { startThrowawayPostgres } from "../scripts/postgres";
import { exited, spawnTypeScript } from "../test/support/processes";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "drain-secret";
const quick = process.argv.includes("--quick");
const ORDERS = quick ? 150 : 500;

process.env.SHOPIFY_API_KEY ??= "drain";
process.env.SHOPIFY_API_SECRET ??= SECRET;
process.env.SHOPIFY_APP_URL ??= "https://policy-guard.example.com";
process.env.SCOPES ??= "read_orders";
const { ingest } = await import("../app/services/inbox/webhook-inbox.server");

function rng(seed: number) {
  return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
}

/** Realistic lifecycles, captured as the signed webhooks Shopify would send. */
async function workload() {
  const store = createStore();
  const emulator = await startEmulator({
    store,
    app: {
      apiKey: "drain",
      secret: SECRET,
      title: "Policy Guard",
      handle: "policy-guard",
      appUrl: "http://127.0.0.1:9",
    },
  });
  emulator.throttle.configure({ maximumAvailable: 1_000_000, restoreRate: 100_000 });
  emulator.webhooks.hold();
  const random = rng(42);
  const stages: Stage[] = [
    "paid",
    "shipped",
    "in_transit",
    "delivered",
    "delivered",
    "return_approved",
    "refunded",
    "cancelled",
  ];
  const payments: PaymentKind[] = ["card", "shop_pay", "paypal", "gift_card", "cash_on_delivery"];
  const customers = Array.from({ length: 20 }, (_, i) =>
    shopper(store, { firstName: `C${i}`, lastName: "D", email: `c${i}@example.com` }),
  );
  for (let i = 0; i < ORDERS; i++) {
    orderAt(store, {
      customer: customers[i % 20],
      items: [oneOfAKind(store, { title: `Item ${i}`, priceCents: 30_000 + i })],
      stage: stages[Math.floor(random() * stages.length)]!,
      payment: payments[Math.floor(random() * payments.length)]!,
      placedAt: new Date(Date.UTC(2026, 9, 1) + Math.floor(random() * 900) * 3_600_000),
    });
  }
  return { store, emulator, webhooks: emulator.webhooks.takeHeld() };
}

async function load(
  db: PrismaClient,
  webhooks: Awaited<ReturnType<typeof workload>>["webhooks"],
  shop: string,
  token: string,
  dueAt: Date,
) {
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, scope: "read_orders" },
  });
  for (const w of webhooks) {
    const result = await ingest(
      {
        body: w.body,
        header: (name) => w.headers[Object.keys(w.headers).find((k) => k.toLowerCase() === name)!] ?? null,
      },
      db,
      SECRET,
    );
    if (result.status !== 200) throw new Error(`ingest failed: ${result.message}`);
  }
  // Everything becomes due at once, after the workers have started.
  await db.webhookEvent.updateMany({ data: { nextAttemptAt: dueAt } });
}

/**
 * CPU seconds used so far by the workers, PostgreSQL and this process (which also
 * runs the store emulator answering the workers' Admin API calls), from /proc.
 * On a machine with few cores these share them, which bounds what a second worker adds.
 */
function cpuSeconds(workerPids: number[]): Record<string, number> {
  const used: Record<string, number> = { workers: 0, postgres: 0, bench_and_emulator: 0 };
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return {}; // not Linux: no figures
  }
  const procs = pids.flatMap((pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      return [
        {
          pid: Number(pid),
          parent: Number(fields[1]),
          seconds: (Number(fields[11]) + Number(fields[12])) / 100,
          command,
        },
      ];
    } catch {
      return []; // the process ended meanwhile
    }
  });
  // A worker is one process (`node --import tsx`); anything it starts counts as the worker too.
  const workers = new Set(workerPids);
  for (const proc of procs) if (workers.has(proc.parent)) workers.add(proc.pid);
  for (const proc of procs) {
    if (workers.has(proc.pid)) used.workers! += proc.seconds;
    else if (proc.command.startsWith("postgres")) used.postgres! += proc.seconds;
    else if (proc.pid === process.pid) used.bench_and_emulator! += proc.seconds;
  }
  return used;
}

function startWorkers(count: number, databaseUrl: string, adminOrigin: string): ChildProcess[] {
  return Array.from({ length: count }, () =>
    // One process, so the signals below reach the worker itself, not a `tsx` wrapper.
    spawnTypeScript("scripts/worker.ts", [], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ADMIN_API_ORIGIN: adminOrigin,
        NODE_ENV: "development",
        WORKER_POLL_MS: "5",
        WORKER_BATCH: "50",
      },
      stdio: "ignore",
    }),
  );
}

async function drain(
  db: PrismaClient,
  workers: number,
  databaseUrl: string,
  adminOrigin: string,
  dueAt: Date,
  total: number,
) {
  const children = startWorkers(workers, databaseUrl, adminOrigin);
  try {
    while (Date.now() < dueAt.getTime()) await new Promise((r) => setTimeout(r, 5));
    const pids = children.map((child) => child.pid!);
    const cpuBefore = cpuSeconds(pids);
    const start = performance.now();
    for (;;) {
      const left = await db.webhookEvent.count({ where: { status: "pending" } });
      if (left === 0) break;
      if (performance.now() - start > 300_000) throw new Error(`drain stalled with ${left} pending`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    const cpuAfter = cpuSeconds(pids);
    const cpu = Object.fromEntries(
      Object.entries(cpuAfter).map(([kind, used]) => [kind, Number((used - (cpuBefore[kind] ?? 0)).toFixed(2))]),
    );
    const dead = await db.webhookEvent.count({ where: { status: "dead" } });
    return {
      events: total,
      seconds: Number(seconds.toFixed(2)),
      events_per_s: Math.round(total / seconds),
      dead,
      cpu_seconds: cpu,
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map(exited));
  }
}

const results: Record<string, unknown> = {};
const { store, emulator, webhooks } = await workload();
const token = emulator.installToken();
const dir = mkdtempSync(join(tmpdir(), "policy-guard-drain-"));
const postgres = startThrowawayPostgres();
try {
  const sqliteUrl = `file:${join(dir, "drain.sqlite")}`;
  await deployMigrations(sqliteUrl);
  const sqlite = createPrismaClient(sqliteUrl);
  const sqliteDue = new Date(Date.now() + 60_000);
  await load(sqlite, webhooks, store.domain, token, sqliteDue);
  await sqlite.webhookEvent.updateMany({ data: { nextAttemptAt: new Date(Date.now() + 4_000) } });
  results.sqlite_1_worker = await drain(
    sqlite,
    1,
    sqliteUrl,
    emulator.origin,
    new Date(Date.now() + 4_000),
    webhooks.length,
  );
  await sqlite.$disconnect();

  const perWorkers: Record<number, { events_per_s: number }> = {};
  for (const workers of [1, 2]) {
    const name = `drain_${workers}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;
    await deployMigrations(url.toString());
    const db = createPrismaClient(url.toString());
    await load(db, webhooks, store.domain, token, new Date(Date.now() + 60_000));
    const due = new Date(Date.now() + 4_000);
    await db.webhookEvent.updateMany({ data: { nextAttemptAt: due } });
    const result = await drain(db, workers, url.toString(), emulator.origin, due, webhooks.length);
    perWorkers[workers] = result;
    results[`postgres_${workers}_worker${workers > 1 ? "s" : ""}`] = result;
    await db.$disconnect();
  }
  const sqliteResult = results.sqlite_1_worker as { events_per_s: number };
  const scaling = Number((perWorkers[2]!.events_per_s / perWorkers[1]!.events_per_s).toFixed(2));
  results.postgres_scaling = scaling;
  results.targets = {
    ">= 1,000 events/s per worker on SQLite": sqliteResult.events_per_s >= 1000,
    "2 workers >= 1.7x one on PostgreSQL": scaling >= 1.7,
  };
  console.log(
    JSON.stringify(
      { benchmark: "inbox drain", webhooks: webhooks.length, cpu_cores: availableParallelism(), ...results },
      null,
      2,
    ),
  );
} finally {
  postgres.stop();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
