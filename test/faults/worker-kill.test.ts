import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../../prisma/migrator";
import { freshPostgresDatabase } from "../support/postgres-db";
import { createStore, oneOfAKind, orderAt, shopper, type Stage } from "../emulator/builders";
import { startEmulator, type Emulator } from "../emulator/server";
import type { PaymentKind } from "../emulator/store";
import { ROOT } from "../support/server";
import { stubAppEnv } from "../support/app-env";
import {
  commandLine,
  exited,
  killAllWithEnv,
  noneLeftWithEnv,
  probe,
  processesWithEnv,
  processTree,
  spawnTypeScript,
} from "../support/processes";

/**
 * 10,000 deliveries of realistic order lifecycles, each webhook delivered 1–3
 * times in shuffled order, into PostgreSQL through the real ingestion, while
 * `npm run worker` is SIGKILLed five times and restarted. The final timelines
 * must equal a clean, in-order, single-delivery run.
 *
 * Each kill must hit the real worker in the middle of a batch: the worker is
 * one process (`node --import tsx`) whose event claims name its pid, its
 * PostgreSQL connections are named `fault-worker-<n>`, and it is killed while
 * pg_stat_activity shows that connection inside the transaction applying a
 * batch (held there by SIGSTOP until confirmed); afterwards the batch must not
 * have committed. After each kill its pid is gone and no process tagged with
 * this run's FAULT_RUN_ID (in /proc/<pid>/environ) is alive.
 */
const postgresUrl = inject("postgresUrl");
const run = postgresUrl && existsSync("/proc/self/environ") ? describe : describe.skip;
const SECRET = "fault-secret";
const TARGET_DELIVERIES = 10_000;
const KILLS = 5;
/** Every worker this run starts carries RUN_MARK=RUN_ID in its environment. */
const RUN_MARK = "FAULT_RUN_ID";
const RUN_ID = randomUUID();

interface Worker {
  child: ChildProcess;
  /** Its connections' application_name. */
  name: string;
  /** The id it claims events under: host and pid. */
  id: string;
}

/** A batch transaction of the worker, open on its PostgreSQL connection. */
interface OpenTransaction {
  backend: number;
  state: string;
  query: string;
  /** When it began, as PostgreSQL prints it (microseconds): it identifies the transaction. */
  xactStart: string;
  /** Events done when it was seen open. */
  done: number;
  /** Events the worker held then. */
  claimed: number;
  /** How long the test waited for it. */
  waitedMs: number;
}

interface Kill {
  worker: Worker;
  open: OpenTransaction | null;
  /** Events done once PostgreSQL had ended the killed worker's connections. */
  doneAfter: number;
  /** Events the killed worker had claimed and not applied: they wait for its lease to expire. */
  claimedLeft: number;
  /** The transaction seen open never committed. */
  midTransaction: boolean;
}

/**
 * Wait (at most `timeoutMs`) until the worker is applying a batch: it holds
 * claimed events not yet done, and a connection named after it is inside a
 * transaction opened by an earlier statement (BEGIN), other than the claim
 * (whose statements take the claim lock and set "lockedBy") and not
 * committing. The deadline sweep's transactions, which run between batches
 * when the worker holds no claims, do not count.
 */
async function openBatchTransaction(
  monitor: pg.Client,
  worker: Worker,
  timeoutMs: number,
): Promise<OpenTransaction | null> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const { rows } = await monitor.query<OpenTransaction>(
      `SELECT a.pid AS backend, a.state, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 80) AS query,
         a.xact_start::text AS "xactStart", d.done, c.claimed
       FROM pg_stat_activity a,
         (SELECT count(*)::int AS done FROM "WebhookEvent" WHERE "status" = 'done') d,
         (SELECT count(*)::int AS claimed FROM "WebhookEvent" WHERE "status" = 'pending' AND "lockedBy" = $2) c
       WHERE a.application_name = $1 AND a.xact_start IS NOT NULL AND c.claimed > 0
         AND (a.state = 'idle in transaction' OR a.query_start > a.xact_start)
         AND a.query NOT IN ('BEGIN', 'COMMIT')
         AND a.query NOT LIKE '%pg_advisory_xact_lock%' AND a.query NOT LIKE '%SET "lockedBy"%'
       LIMIT 1`,
      [worker.name, worker.id],
    );
    if (rows[0]) return { ...rows[0], waitedMs: Date.now() - start };
  }
  return null;
}

/**
 * Catch the worker inside a batch transaction and hold it there: once one is
 * seen open, SIGSTOP the worker, let PostgreSQL finish whatever it had already
 * been sent, and confirm the same transaction is still open and waiting for
 * the (frozen) worker, twice 30 ms apart with no change. Then nothing can
 * commit it: a SIGKILL now ends it mid-way. If it ended meanwhile, SIGCONT and
 * look again. Returns with the worker stopped, or null (worker running) if no
 * batch transaction was caught within `timeoutMs`.
 */
async function catchInBatchTransaction(
  monitor: pg.Client,
  worker: Worker,
  timeoutMs: number,
): Promise<OpenTransaction | null> {
  const start = Date.now();
  const backendNow = async (backend: number) =>
    (
      await monitor.query<{ state: string; xactStart: string | null; stateChange: string | null }>(
        `SELECT state, xact_start::text AS "xactStart", state_change::text AS "stateChange"
         FROM pg_stat_activity WHERE pid = $1`,
        [backend],
      )
    ).rows[0];
  for (let tries = 1; Date.now() - start < timeoutMs; tries++) {
    const seen = await openBatchTransaction(monitor, worker, timeoutMs - (Date.now() - start));
    if (!seen) return null;
    worker.child.kill("SIGSTOP");
    await new Promise((r) => setTimeout(r, 30));
    let now = await backendNow(seen.backend);
    for (const until = Date.now() + 5_000; now?.state === "active" && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 10));
      now = await backendNow(seen.backend);
    }
    await new Promise((r) => setTimeout(r, 30));
    const again = await backendNow(seen.backend);
    if (
      now?.state === "idle in transaction" &&
      now.xactStart === seen.xactStart &&
      JSON.stringify(again) === JSON.stringify(now)
    )
      return { ...seen, state: `held idle in transaction (try ${tries})`, waitedMs: Date.now() - start };
    worker.child.kill("SIGCONT");
  }
  return null;
}

/** What a kill did to the database, once PostgreSQL has ended the killed worker's connections. */
async function killOutcome(monitor: pg.Client, worker: Worker, open: OpenTransaction | null): Promise<Kill> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await monitor.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [worker.name]);
    if (!rows.length) break;
    if (Date.now() > deadline) throw new Error(`${worker.name}'s connections outlived it`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const {
    rows: [counts],
  } = await monitor.query<{ done: number; claimedLeft: number }>(
    `SELECT count(*) FILTER (WHERE "status" = 'done')::int AS done,
       count(*) FILTER (WHERE "status" = 'pending' AND "lockedBy" = $1)::int AS "claimedLeft"
     FROM "WebhookEvent"`,
    [worker.id],
  );
  return {
    worker,
    open,
    doneAfter: counts!.done,
    claimedLeft: counts!.claimedLeft,
    // One worker runs at a time and every committed batch marks events done.
    midTransaction: open !== null && counts!.done === open.done && counts!.claimedLeft > 0,
  };
}

function describeKill(n: number, kill: Kill): string {
  const who = `kill #${n}: ${kill.worker.name} (pid ${kill.worker.child.pid})`;
  if (!kill.open) return `${who} SIGKILLed without an open batch transaction seen in 30 s`;
  const { backend, state, query, done, claimed, waitedMs } = kill.open;
  return (
    `${who} SIGKILLed after ${waitedMs} ms, holding ${claimed} claimed events, its backend ${backend} ` +
    `${state} in the batch's transaction (${query}); ` +
    `events done ${done} before, ${kill.doneAfter} after: ` +
    `${kill.midTransaction ? "the batch never committed" : "not shown to be cut short"}; ` +
    `${kill.claimedLeft} of its claimed events wait for its lease`
  );
}

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
let monitor: pg.Client | undefined;
let worker: Worker | null = null;
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
    monitor = new pg.Client({ connectionString: urls.faulty, application_name: "fault-monitor" });
    await monitor.connect();
  }, 120_000);

  afterAll(async () => {
    // Whatever happened, no worker of this run outlives it.
    const { killed, alive } = await killAllWithEnv(RUN_MARK, RUN_ID);
    if (killed.length) console.warn(`fault test: killed leftover worker processes ${killed.join(", ")}`);
    await monitor?.end();
    await emulator?.close();
    ingestServer?.close();
    await faulty?.$disconnect();
    await clean?.$disconnect();
    vi.unstubAllEnvs();
    expect(alive, "worker processes that survived SIGKILL").toEqual([]);
  });

  it("ends with the same timelines as a clean in-order run: nothing lost, nothing applied twice", async () => {
    const { ingestWebhook } = await import("../../app/services/inbox/webhook-inbox.server");
    const { processBatch, sweepDueDeadlines } = await import("../../app/services/webhooks/webhook-processor.server");
    const { AdminGateway } = await import("../../app/services/shopify/admin-gateway.server");

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
    // Each worker is one process (`node --import tsx`), tagged with this run's id, and its
    // PostgreSQL connections carry its own application_name, so the test can see its transactions.
    let workers = 0;
    const startWorker = async (): Promise<Worker> => {
      const name = `fault-worker-${++workers}`;
      const databaseUrl = new URL(urls.faulty);
      databaseUrl.searchParams.set("application_name", name);
      const child = spawnTypeScript("scripts/worker.ts", [], {
        cwd: ROOT,
        env: {
          ...process.env,
          [RUN_MARK]: RUN_ID,
          DATABASE_URL: databaseUrl.toString(),
          ADMIN_API_ORIGIN: emulator.origin,
          NODE_ENV: "development",
          WORKER_LEASE_MS: "1500",
          WORKER_POLL_MS: "20",
          WORKER_BATCH: "20",
        },
      });
      let output = "";
      const id = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
        let started = false;
        const read = (chunk: Buffer) => {
          workerLog.push(String(chunk));
          if (started) return;
          output += String(chunk);
          const match = /webhook worker (\S+) started/.exec(output);
          if (match) {
            started = true;
            clearTimeout(timer);
            resolve(match[1]!);
          }
        };
        child.stdout!.on("data", read);
        child.stderr!.on("data", read);
        child.once("exit", (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code ?? signal}) before starting:\n${output}`));
        });
      });
      // The process that claims events (its id names its pid) is the one spawned, and every
      // other process of this run is one it started (tsx's esbuild service).
      expect(id).toBe(`${hostname()}:${child.pid}`);
      expect(commandLine(child.pid!)).toMatch(/--import tsx scripts\/worker\.ts$/);
      const tagged = processesWithEnv(RUN_MARK, RUN_ID);
      expect(tagged).toContain(child.pid);
      const tree = processTree(child.pid!);
      expect(
        tagged.filter((pid) => !tree.includes(pid)).map((pid) => `${pid} ${commandLine(pid)}`),
        "processes of this run besides the new worker",
      ).toEqual([]);
      return { child, name, id };
    };
    /** After the worker has exited: its pid is gone, and soon no process of this run is alive. */
    const expectGone = async (gone: Worker) => {
      expect(probe(gone.child.pid!), `${gone.name} (pid ${gone.child.pid})`).toEqual({
        signal0: "ESRCH",
        inProc: false,
      });
      // What it started ends once its parent is gone (esbuild's service exits when its stdin closes).
      const left = await noneLeftWithEnv(RUN_MARK, RUN_ID, 2_000);
      expect(
        left.map((pid) => `${pid} ${commandLine(pid)}`),
        `processes of this run alive after ${gone.name} ended`,
      ).toEqual([]);
    };
    worker = await startWorker();
    let sent = 0;
    const send = async () => {
      while (sent < deliveries.length) {
        const d = deliveries[sent++]!;
        const response = await fetch(d.uri, { method: "POST", headers: d.headers, body: d.body });
        expect(response.status).toBe(200);
      }
    };
    const senders = Promise.all(Array.from({ length: 8 }, send));
    const kills: Kill[] = [];
    while (kills.length < KILLS) {
      await new Promise((r) => setTimeout(r, 2_500));
      const target = worker;
      const open = await catchInBatchTransaction(monitor!, target, 30_000);
      target.child.kill("SIGKILL");
      await exited(target.child);
      expect(target.child.signalCode).toBe("SIGKILL");
      await expectGone(target);
      kills.push(await killOutcome(monitor!, target, open));
      const line = `${describeKill(kills.length, kills.at(-1)!)}; ${sent} deliveries sent`;
      console.log(`fault test: ${line}`);
      workerLog.push(`-- ${line}\n`);
      worker = await startWorker();
    }
    await senders;
    lap("faulty deliveries and kills");
    const deadline = Date.now() + 480_000;
    while ((await faulty.webhookEvent.count({ where: { status: { not: "done" } } })) > 0) {
      if (Date.now() > deadline) throw new Error(`inbox did not drain:\n${workerLog.join("").slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    worker.child.kill("SIGTERM");
    await exited(worker.child);
    expect(worker.child.exitCode).toBe(0);
    await expectGone(worker);
    lap("faulty drain");
    console.log(`fault test: ${deliveries.length} deliveries of ${held.length} webhooks; ms per phase`, timings);
    const hits = kills.filter((kill) => kill.midTransaction).length;
    console.log(`fault test: ${hits} of ${kills.length} kills hit a batch transaction mid-way`);
    expect(kills).toHaveLength(KILLS);
    expect(hits, "kills that ended a batch transaction mid-way").toBe(KILLS);

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
