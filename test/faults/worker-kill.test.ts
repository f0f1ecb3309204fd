import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { deployMigrations } from "../../prisma/migrator";
import { postgresBinDir } from "../../scripts/postgres";
import { freshPostgresDatabase } from "../support/postgres-db";
import { startOwnCluster, type OwnCluster } from "../support/postgres-cluster";
import type { AdminApiFault } from "../emulator/faults";
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
  running,
  spawnTypeScript,
  strayProcessesWithEnv,
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
 * this run's FAULT_RUN_ID (in /proc/<pid>/environ) is alive but the next
 * worker and PostgreSQL's.
 *
 * Meanwhile, transient faults the app must ride out without a person:
 * - PostgreSQL (a cluster of this test's own, its processes tagged too) is
 *   restarted with `pg_ctl restart -m immediate` once, while the worker holds
 *   claimed events inside a batch transaction that has written: the postmaster
 *   and every backend are replaced, the transaction is aborted by crash
 *   recovery, and the same worker process reconnects and applies those events.
 * - The emulated Admin API answers a burst of 5xx (502, 503 with and without
 *   Retry-After, 500, 504) and THROTTLED errors: they are retried, never
 *   dead-lettered, and the emulator counts each faulty answer it gave.
 * Deliveries the ingestion could not store while PostgreSQL was down are
 * answered 503 and sent again, as Shopify does.
 */
const run = postgresBinDir() && existsSync("/proc/self/environ") ? describe : describe.skip;
if (process.env.CI && !postgresBinDir()) throw new Error("CI must run the fault test: install postgresql");
const SECRET = "fault-secret";
const TARGET_DELIVERIES = 10_000;
const KILLS = 5;
/** PostgreSQL is restarted once, after this many kills. */
const RESTART_AFTER_KILLS = 2;
/** The Admin API's burst of transient failures, planned after the first kill. */
const ADMIN_API_BURST: AdminApiFault[] = Array.from({ length: 4 }, (): AdminApiFault[] => [
  { kind: "status", status: 502 },
  { kind: "status", status: 503, retryAfterSeconds: 1 },
  { kind: "throttled" },
  { kind: "status", status: 503 },
  { kind: "status", status: 500 },
  { kind: "throttled", restoreRate: 20 },
  { kind: "status", status: 504 },
]).flat();
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
  /** Its transaction id, once it has written (null before). */
  xid: string | null;
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
 * when the worker holds no claims, do not count. `written`: only once the
 * transaction has written (it has a transaction id).
 */
async function openBatchTransaction(
  monitor: pg.Client,
  worker: Worker,
  timeoutMs: number,
  written = false,
): Promise<OpenTransaction | null> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const { rows } = await monitor.query<OpenTransaction>(
      `SELECT a.pid AS backend, a.state, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 80) AS query,
         a.xact_start::text AS "xactStart", a.backend_xid::text AS xid, d.done, c.claimed
       FROM pg_stat_activity a,
         (SELECT count(*)::int AS done FROM "WebhookEvent" WHERE "status" = 'done') d,
         (SELECT count(*)::int AS claimed FROM "WebhookEvent" WHERE "status" = 'pending' AND "lockedBy" = $2) c
       WHERE a.application_name = $1 AND a.xact_start IS NOT NULL AND c.claimed > 0
         AND (a.state = 'idle in transaction' OR a.query_start > a.xact_start)
         AND a.query NOT IN ('BEGIN', 'COMMIT')
         AND a.query NOT LIKE '%pg_advisory_xact_lock%' AND a.query NOT LIKE '%SET "lockedBy"%'
         AND (NOT $3::boolean OR a.backend_xid IS NOT NULL)
       LIMIT 1`,
      [worker.name, worker.id, written],
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
  written = false,
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
    const seen = await openBatchTransaction(monitor, worker, timeoutMs - (Date.now() - start), written);
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

async function database(serverUrl: string, name: string): Promise<string> {
  const url = await freshPostgresDatabase(serverUrl, name);
  await deployMigrations(url);
  return url;
}

const DONE_COUNT = `SELECT count(*)::int AS done FROM "WebhookEvent" WHERE "status" = 'done'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A monitoring connection of the test's: PostgreSQL's restart ends it, and the test connects anew. */
async function connectMonitor(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "fault-monitor" });
  client.on("error", () => {}); // ended by the restart; reported by the query that needed it
  await client.connect();
  return client;
}

/** What PostgreSQL's abrupt restart did, as seen from outside. */
interface Restart {
  worker: Worker;
  /** The batch transaction the worker was held in (it had written). */
  open: OpenTransaction;
  /** The events the worker had claimed then, and what became of them once it recovered. */
  held: { ids: string[]; done: number; released: number; reclaimed: number };
  before: { postmaster: number; startedAt: string; processes: number[]; xactStatus: string };
  after: { postmaster: number; startedAt: string; xactStatus: string };
  pgCtl: string;
  /** The worker's connections after the restart (new backends, same application_name). */
  reconnected: number[];
  /** From the restart until every held event was applied by the same worker process. */
  recoveredMs: number;
}

function describeRestart(restart: Restart): string {
  const { worker, open, held, before, after } = restart;
  return (
    `PostgreSQL restarted (-m immediate) while ${worker.name} (pid ${worker.child.pid}) held ${held.ids.length} ` +
    `claimed events in a batch transaction (xid ${open.xid}, backend ${open.backend}, ${open.query}): ` +
    `postmaster ${before.postmaster} → ${after.postmaster}, started ${before.startedAt} → ${after.startedAt}; ` +
    `${before.processes.filter(running).length} of the old cluster's ${before.processes.length} processes running; ` +
    `the transaction ${before.xactStatus} → ` +
    `${after.xactStatus}; the same worker process reconnected (backends ${restart.reconnected.join(", ")}) and applied ` +
    `new events ${restart.recoveredMs} ms after the restart, the held ones applied (${held.done}), released for ` +
    `a retry (${held.released}) or claimed again after the lease (${held.reclaimed})`
  );
}

let cluster: OwnCluster | undefined;
let clusterStopped = false;
/** Every PostgreSQL process of the test's cluster seen during the run (both postmasters' trees). */
const postgresSeen = new Set<number>();
/** The cluster's processes now (and remembered): the postmaster and every process it started. */
const postgresTree = (): number[] => {
  if (!cluster || clusterStopped) return [];
  let tree: number[];
  try {
    tree = processTree(cluster.postmasterPid());
  } catch {
    return []; // between postmasters
  }
  for (const pid of tree) postgresSeen.add(pid);
  return tree;
};
let emulator: Emulator;
let faulty: PrismaClient;
let clean: PrismaClient;
let ingestServer: Server;
let monitor: pg.Client | undefined;
let worker: Worker | null = null;
const workerLog: string[] = [];

run("faults: worker killed mid-run, PostgreSQL restarted, the Admin API failing for a burst", () => {
  let urls: { faulty: string; clean: string };
  let token: string;

  beforeAll(async () => {
    // A cluster of its own: the restart must not touch the other test files' databases.
    cluster = await startOwnCluster(RUN_MARK, RUN_ID);
    expect(processesWithEnv(RUN_MARK, RUN_ID)).toContain(cluster.postmasterPid());
    postgresTree();
    urls = { faulty: await database(cluster.url, "fault_faulty"), clean: await database(cluster.url, "fault_clean") };
    stubAppEnv(urls.faulty, { SHOPIFY_API_KEY: "fault-key", SHOPIFY_API_SECRET: SECRET });
    const { createPrismaClient } = await import("../../app/database.server");
    faulty = createPrismaClient(urls.faulty);
    clean = createPrismaClient(urls.clean);
    monitor = await connectMonitor(urls.faulty);
  }, 120_000);

  afterAll(async () => {
    // The workers' output, for whoever reads a failure (the assertion messages carry only its tail).
    writeFileSync(join(tmpdir(), "fault-workers.log"), workerLog.join(""));
    await monitor?.end().catch(() => {});
    await emulator?.close();
    ingestServer?.close();
    await faulty?.$disconnect();
    await clean?.$disconnect();
    if (!clusterStopped) cluster?.stop();
    clusterStopped = true;
    // Whatever happened, no process of this run outlives it: workers, PostgreSQL's.
    const { killed, alive } = await killAllWithEnv(RUN_MARK, RUN_ID);
    if (killed.length) console.warn(`fault test: killed leftover processes ${killed.join(", ")}`);
    vi.unstubAllEnvs();
    expect(alive, "processes of this run that survived SIGKILL").toEqual([]);
  });

  it("ends with the same timelines as a clean in-order run: nothing lost, nothing applied twice", async () => {
    const { ingestWebhook } = await import("../../app/services/inbox/webhook-inbox.server");
    const { processBatch, sweepDueDeadlines } = await import("../../app/services/webhooks/webhook-processor.server");
    const { AdminGateway } = await import("../../app/services/shopify/admin-gateway.server");

    // The faulty run's ingestion endpoint: the app's ingestion over real HTTP into PostgreSQL.
    // While PostgreSQL is down it cannot store, and says so (503): Shopify sends the delivery again.
    const refusals: number[] = [];
    ingestServer = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let status: number;
      try {
        const response = await ingestWebhook(
          new Request(`http://localhost${req.url}`, {
            method: "POST",
            headers: req.headers as Record<string, string>,
            body: Buffer.concat(chunks),
          }),
          faulty,
          SECRET,
        );
        status = response.status;
      } catch {
        refusals.push(Date.now());
        status = 503;
      }
      res.writeHead(status, status === 503 ? { "Retry-After": "1" } : {});
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
    expect(emulator.faults.total, "faulty Admin API answers in the clean run").toBe(0);
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
      expect(processesWithEnv(RUN_MARK, RUN_ID)).toContain(child.pid);
      const others = strayProcessesWithEnv(RUN_MARK, RUN_ID, () => [...processTree(child.pid!), ...postgresTree()]);
      expect(
        others.map((pid) => `${pid} ${commandLine(pid)}`),
        "processes of this run besides the new worker and PostgreSQL's",
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
      const left = await noneLeftWithEnv(RUN_MARK, RUN_ID, 2_000, postgresTree);
      expect(
        left.map((pid) => `${pid} ${commandLine(pid)}`),
        `processes of this run but PostgreSQL's alive after ${gone.name} ended`,
      ).toEqual([]);
    };
    /**
     * PostgreSQL restarted abruptly while the worker holds claimed events in a batch
     * transaction that has written (held there by SIGSTOP, let go once the old
     * postmaster is gone so it runs into the restart). The same worker process must
     * reconnect and apply those events: nobody restarts it.
     */
    let restartWindow: { from: number; to: number } | null = null;
    const restartMidBatch = async (target: Worker): Promise<Restart> => {
      const open = await catchInBatchTransaction(monitor!, target, 30_000, true);
      if (!open) throw new Error(`${target.name} was not caught in a batch transaction that had written, in 30 s`);
      const claims = (
        await monitor!.query<{ id: string; lockedUntil: string }>(
          `SELECT "id", "lockedUntil"::text AS "lockedUntil" FROM "WebhookEvent"
           WHERE "status" = 'pending' AND "lockedBy" = $1`,
          [target.id],
        )
      ).rows;
      const held = claims.map((row) => row.id);
      const leases = [...new Set(claims.map((row) => row.lockedUntil))];
      const server = async () =>
        (
          await monitor!.query<{ startedAt: string; xactStatus: string }>(
            `SELECT pg_postmaster_start_time()::text AS "startedAt", pg_xact_status($1::text::xid8) AS "xactStatus"`,
            [open.xid],
          )
        ).rows[0]!;
      // Crash recovery only knows the transaction's id if its writes reached the WAL on disk, and an
      // open transaction's records on a partial page wait for someone else's flush: a WAL switch
      // flushes them. Unflushed, the id could be handed out again after the restart and
      // pg_xact_status would describe another transaction.
      const written = (await monitor!.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`))
        .rows[0]!.lsn;
      await monitor!.query(`SELECT pg_switch_wal()`);
      const flushed = await monitor!.query<{ flushed: boolean }>(
        `SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS flushed`,
        [written],
      );
      expect(flushed.rows[0]!.flushed, `the WAL up to ${written} is on disk before the restart`).toBe(true);
      const postmaster = cluster!.postmasterPid();
      const before = { postmaster, ...(await server()), processes: postgresTree() };
      restartWindow = { from: Date.now(), to: Infinity };
      const restarting = cluster!.restartImmediately();
      for (const until = Date.now() + 20_000; running(postmaster) && Date.now() < until;) await sleep(2);
      target.child.kill("SIGCONT");
      const { code, output } = await restarting;
      expect(code, `pg_ctl restart: ${output}`).toBe(0);
      const restartedAt = Date.now();
      restartWindow.to = restartedAt;
      await monitor!.end().catch(() => {});
      monitor = await connectMonitor(urls.faulty);
      const after = { postmaster: cluster!.postmasterPid(), ...(await server()) };
      postgresTree();
      // The same worker process, nobody restarting it, takes up the events it held (applied, or
      // released for a retry, or claimed again once the lease ran out) and applies new ones.
      const doneAtRestart = (await monitor.query<{ done: number }>(DONE_COUNT)).rows[0]!.done;
      let outcome: Restart["held"] = { ids: held, done: 0, released: 0, reclaimed: 0 };
      for (;;) {
        const { rows } = await monitor.query<{ done: number; released: number; reclaimed: number; stuck: number }>(
          `SELECT count(*) FILTER (WHERE "status" = 'done')::int AS done,
             count(*) FILTER (WHERE "status" <> 'done' AND "lockedBy" IS NULL)::int AS released,
             count(*) FILTER (WHERE "status" <> 'done' AND "lockedBy" IS NOT NULL
               AND NOT "lockedUntil"::text = ANY($3::text[]))::int AS reclaimed,
             count(*) FILTER (WHERE "status" = 'pending' AND "lockedBy" = $2
               AND "lockedUntil"::text = ANY($3::text[]))::int AS stuck
           FROM "WebhookEvent" WHERE "id" = ANY($1)`,
          [held, target.id, leases],
        );
        const doneNow = (await monitor.query<{ done: number }>(DONE_COUNT)).rows[0]!.done;
        outcome = { ids: held, ...rows[0]! };
        if (!rows[0]!.stuck && doneNow > doneAtRestart) break;
        if (Date.now() - restartedAt > 30_000)
          throw new Error(`${target.name} did not recover from the restart:\n${workerLog.join("").slice(-4000)}`);
        await sleep(20);
      }
      expect(probe(target.child.pid!).signal0, `${target.name} after the restart`).toBe("delivered");
      expect(target.child.exitCode).toBeNull();
      const recoveredMs = Date.now() - restartedAt;
      const reconnected = (
        await monitor.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [
          target.name,
        ])
      ).rows.map((row) => row.pid);
      return { worker: target, open, held: outcome, before, after, pgCtl: output, reconnected, recoveredMs };
    };

    worker = await startWorker();
    let sent = 0;
    let resent = 0;
    const unreached: string[] = [];
    const send = async () => {
      while (sent < deliveries.length) {
        const d = deliveries[sent++]!;
        for (let tries = 1; ; tries++) {
          const status = await fetch(d.uri, { method: "POST", headers: d.headers, body: d.body }).then(
            (response) => response.status,
            (error: Error) => (unreached.push(String((error.cause as Error)?.message ?? error.message)), 0),
          );
          if (status === 200) break;
          // Refused while PostgreSQL was down, or the connection failed: sent again, as Shopify does.
          expect([503, 0], "a delivery's answer").toContain(status);
          expect(tries, "times a delivery was refused").toBeLessThan(100);
          resent++;
          await sleep(50);
        }
      }
    };
    const senders = Promise.all(Array.from({ length: 8 }, send));
    const kills: Kill[] = [];
    let restart: Restart | null = null;
    while (kills.length < KILLS) {
      await sleep(2_500);
      if (kills.length === RESTART_AFTER_KILLS && !restart) {
        restart = await restartMidBatch(worker);
        const line = `${describeRestart(restart)}; ${sent} deliveries sent`;
        console.log(`fault test: ${line}`);
        workerLog.push(`-- ${line}\n`);
        continue;
      }
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
      if (kills.length === 1) emulator.faults.burst(ADMIN_API_BURST);
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

    // The restart happened, to the whole cluster, mid-transaction, and the worker came through it by itself.
    expect(restart, "PostgreSQL restarted").not.toBeNull();
    const { before, after, open } = restart!;
    expect(after.postmaster, "the postmaster after the restart").not.toBe(before.postmaster);
    expect(
      (await monitor!.query(`SELECT $1::timestamptz < $2::timestamptz AS later`, [before.startedAt, after.startedAt]))
        .rows[0].later,
      `the server's start time moved (${before.startedAt} → ${after.startedAt})`,
    ).toBe(true);
    expect(before.processes).toContain(before.postmaster);
    expect(before.processes, "the worker's backend was one of the old cluster's processes").toContain(open.backend);
    expect(before.processes.filter(running), "processes of the old cluster running after the restart").toEqual([]);
    expect(restart!.held.ids.length, "events the worker held at the restart").toBeGreaterThan(0);
    expect(before.xactStatus, "the batch transaction, before the restart").toBe("in progress");
    expect(after.xactStatus, "the batch transaction, after crash recovery").toBe("aborted");
    expect(restart!.reconnected.length, "the worker's connections after the restart").toBeGreaterThan(0);
    expect(restart!.reconnected.filter((pid) => before.processes.includes(pid))).toEqual([]);
    const { from, to } = restartWindow!;
    console.log(
      `fault test: ${refusals.length} deliveries refused (503) while PostgreSQL restarted, ` +
        `${unreached.length} not answered (${[...new Set(unreached)].join("; ")}), ${resent} resent`,
    );
    expect(
      refusals.filter((at) => at < from || at > to + 2_000),
      "deliveries refused when PostgreSQL was not restarting",
    ).toEqual([]);

    // The Admin API's burst was answered, every faulty answer of it.
    console.log(
      `fault test: the Admin API gave ${emulator.faults.total} faulty answers of ${emulator.faults.requests} requests`,
      emulator.faults.counts(),
    );
    expect(emulator.faults.pending, "planned faults never given").toBe(0);
    expect(emulator.faults.total, "faulty Admin API answers given").toBe(ADMIN_API_BURST.length);
    expect(emulator.faults.total).toBeGreaterThan(0);
    // A transient Admin API failure never counts against an event: retried within the request, or put
    // off. The workers log every attempt they count, with its error.
    const charged = workerLog
      .join("")
      .split("\n")
      .filter((line) => /^webhook .*, attempt \d+(, now a dead letter)?: .*Admin API/.test(line));
    expect(charged, "attempts the Admin API's faults used up").toEqual([]);
    const retried = await faulty.webhookEvent.findMany({
      where: { OR: [{ attempts: { gt: 1 } }, { lastError: { not: null } }] },
      select: { topic: true, attempts: true, lastError: true, status: true },
    });
    console.log(
      `fault test: ${retried.length} events retried or put off`,
      retried.slice(0, 40).map((e) => `${e.status} ${e.attempts} ${e.topic}: ${e.lastError?.split("\n")[0]}`),
    );

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

    // Nothing of the run is left: not a worker, not a PostgreSQL process of either postmaster.
    await monitor!.end();
    monitor = undefined;
    await faulty.$disconnect();
    await clean.$disconnect();
    postgresTree();
    cluster!.stop();
    clusterStopped = true;
    const left = await noneLeftWithEnv(RUN_MARK, RUN_ID, 5_000);
    expect(
      left.map((pid) => `${pid} ${commandLine(pid)}`),
      "processes of this run left",
    ).toEqual([]);
    const seen = [...postgresSeen];
    expect(seen).toContain(before.postmaster);
    expect(seen).toContain(after.postmaster);
    expect(
      seen.filter(running).map((pid) => `${pid} ${commandLine(pid)}`),
      `PostgreSQL processes running after the cluster stopped (of ${seen.length} seen)`,
    ).toEqual([]);

    // Last, once every process is accounted for: the timelines.
    const differing = actual.filter((o, i) => JSON.stringify(o) !== JSON.stringify(expected[i]));
    if (differing.length) {
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
