import type { PrismaClient, WebhookEvent } from "@prisma/client";
import { parseSettings, presetSettings, type PolicySettings } from "../policy";
import type { AdminGateway } from "./admin-gateway.server";
import { HANDLERS, type HandlerContext } from "./webhook-handlers.server";
import { refreshOrder } from "./order-timeline.server";
import { installedShops, reconcileOrders } from "./reconcile.server";
import { claimEvents, markDone, markFailed } from "./webhook-inbox.server";

export interface WorkerOptions {
  db: PrismaClient;
  workerId: string;
  gateway: (shop: string) => Promise<AdminGateway>;
  batchSize?: number;
  /** How long a claim holds; a worker killed mid-batch loses its claims after this. */
  leaseMs?: number;
  pollMs?: number;
  /** How often due deadlines are acted on. */
  sweepEveryMs?: number;
  /** How often installed shops' recently updated orders are pulled (reconciliation). */
  reconcileEveryMs?: number;
  /** The time policy decisions (alerts) are made at; claims and retries always use the wall clock. */
  clock?: () => Date;
}

class LeaseLost extends Error {}

function settingsLoader(db: PrismaClient) {
  const cache = new Map<string, Promise<PolicySettings>>();
  return (shop: string) => {
    let settings = cache.get(shop);
    if (!settings) {
      settings = db.shop
        .findUnique({ where: { domain: shop }, select: { settings: true } })
        .then((row) => (row ? parseSettings(row.settings) : presetSettings()));
      cache.set(shop, settings);
    }
    return settings;
  };
}

/** Apply one event: I/O first (Admin API), then one transaction that applies it, refreshes its orders and marks it done. */
async function processEvent(event: WebhookEvent, options: WorkerOptions, context: HandlerContext): Promise<void> {
  const handler = HANDLERS[event.topic];
  if (!handler) throw new Error(`No handler for topic ${event.topic}`);
  const prepared = await handler(event, JSON.parse(event.body), context);
  const settings = prepared.orders.length ? await context.settings(event.shop) : null;
  await options.db.$transaction(
    async (tx) => {
      // A duplicate or stale event changes nothing: no need to recompute the order.
      if (await prepared.apply(tx))
        for (const orderId of prepared.orders) await refreshOrder(tx, orderId, settings!, context.now);
      if (!(await markDone(tx, event, options.workerId))) throw new LeaseLost(`lease on ${event.id} expired`);
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

/** Claim and process one batch; returns how many events were claimed. */
export async function processBatch(options: WorkerOptions): Promise<number> {
  const wall = new Date();
  const events = await claimEvents(
    options.db,
    options.workerId,
    options.batchSize ?? 50,
    options.leaseMs ?? 60_000,
    wall,
  );
  const context: HandlerContext = {
    db: options.db,
    gateway: options.gateway,
    settings: settingsLoader(options.db),
    now: options.clock?.() ?? wall,
  };
  for (const event of events) {
    try {
      await processEvent(event, options, context);
    } catch (error) {
      if (error instanceof LeaseLost) continue; // another worker owns it now
      await markFailed(options.db, event, options.workerId, error);
    }
  }
  return events.length;
}

/**
 * Deadlines that have come due: the order is refreshed at `now`, which records
 * derived entries (TML-1 processing, RET-6 label void) and raises alerts.
 */
export async function sweepDueDeadlines(db: PrismaClient, now = new Date(), limit = 500): Promise<number> {
  const due = await db.orderDeadline.findMany({
    where: { actedAt: null, dueAt: { lte: now } },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
  const settings = settingsLoader(db);
  const orders = new Map<string, string>(due.map((d) => [d.orderId, d.shop]));
  for (const [orderId, shop] of orders) {
    await db.$transaction(async (tx) => {
      await refreshOrder(tx, orderId, await settings(shop), now);
      await tx.orderDeadline.updateMany({
        where: { orderId, actedAt: null, dueAt: { lte: now } },
        data: { actedAt: now },
      });
    });
  }
  return due.length;
}

/** Run until aborted: drain the inbox, sweep deadlines now and then, idle-poll when empty. */
export async function runWorker(options: WorkerOptions, signal: AbortSignal): Promise<void> {
  let lastSweep = 0;
  let lastReconcile = Date.now();
  while (!signal.aborted) {
    if (Date.now() - lastReconcile > (options.reconcileEveryMs ?? 15 * 60_000)) {
      lastReconcile = Date.now();
      for (const shop of await installedShops(options.db)) {
        await options
          .gateway(shop)
          .then((gateway) => reconcileOrders(options.db, gateway))
          .catch((error) => console.error(`reconcile ${shop}:`, error));
      }
    }
    const claimed = await processBatch(options).catch((error) => {
      console.error("webhook worker:", error);
      return 0;
    });
    if (Date.now() - lastSweep > (options.sweepEveryMs ?? 60_000)) {
      lastSweep = Date.now();
      await sweepDueDeadlines(options.db, options.clock?.()).catch((error) => console.error("deadline sweep:", error));
    }
    if (claimed === 0) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
