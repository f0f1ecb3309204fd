import type { PrismaClient, WebhookEvent } from "@prisma/client";
import { parseSettings, presetSettings, type PolicySettings } from "../../policy";
import type { Prepared } from "./webhook-handlers.server";
import { ShopUnavailableError, type AdminGateway } from "../shopify/admin-gateway.server";
import {
  HANDLERS,
  newBatch,
  REDACTION_TOPICS,
  storedOrderLoader,
  type HandlerContext,
} from "./webhook-handlers.server";
import { scrubFreedSpace } from "../shops/privacy.server";
import { RefusedEvent, WaitForEarlierEvents } from "../inbox/webhook-errors.server";
import { OrderCache } from "../orders/order-cache.server";
import { refreshOrder } from "../orders/order-timeline.server";
import { installedShops, reconcileOrders } from "../orders/reconcile.server";
import { ReturnNotRecordedYet } from "../returns/return-webhooks.server";
import { claimEvents, markDone, markFailed, putOff } from "../inbox/webhook-inbox.server";
import { cancelOverdueUnpaidOrders } from "../returns/cancel-unpaid-order.server";

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
  /**
   * How long a batch waits for one shop's Admin API (default 20 s): a shop still
   * waiting then has its events put off, so a hung or throttled shop does not hold up the others.
   */
  shopDeadlineMs?: number;
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

type PreparedEvent = { event: WebhookEvent; prepared: Prepared };

/** One gateway per shop for a batch: its session is read once, and its requests end by the shop's deadline. */
function perShop(options: WorkerOptions): WorkerOptions["gateway"] {
  const gateways = new Map<string, Promise<AdminGateway>>();
  const deadlineMs = options.shopDeadlineMs ?? 20_000;
  return (shop) => {
    let found = gateways.get(shop);
    if (!found) {
      found = options.gateway(shop).then((gateway) => gateway.withDeadline(deadlineMs));
      gateways.set(shop, found);
      found.catch(() => gateways.delete(shop));
    }
    return found;
  };
}

async function prepare(event: WebhookEvent, context: HandlerContext): Promise<Prepared> {
  const handler = HANDLERS[event.topic];
  if (!handler) throw new RefusedEvent(`${event.topic} is not a topic the app applies`);
  return handler(event, context);
}

/**
 * Apply prepared events in one transaction: each event's changes, then one
 * refresh per touched order, then all marked done — or nothing at all.
 */
async function applyTogether(items: PreparedEvent[], options: WorkerOptions, context: HandlerContext): Promise<void> {
  const settings = new Map<string, PolicySettings>();
  for (const { event, prepared } of items) {
    if (prepared.orders.length && !settings.has(event.shop))
      settings.set(event.shop, await context.settings(event.shop));
  }
  await options.db.$transaction(
    async (tx) => {
      const orders = new OrderCache(tx);
      await orders.load(items.flatMap((item) => item.prepared.orders));
      const touched = new Map<string, string>();
      for (const { event, prepared } of items) {
        // A duplicate or stale event changes nothing: its orders need no recomputing.
        if (await prepared.apply(orders.forShop(event.shop)))
          for (const orderId of prepared.orders) touched.set(orderId, event.shop);
      }
      for (const [orderId, shop] of touched) await refreshOrder(orders, orderId, settings.get(shop)!, context.now);
      await orders.flush();
      const ids = items.map((item) => item.event.id);
      if ((await markDone(tx, ids, options.workerId)) !== ids.length)
        throw new LeaseLost("a lease expired before the batch committed");
    },
    { timeout: 60_000, maxWait: 20_000 },
  );
}

/** Release a claimed event until it can be tried again (`retryAt`), its attempts unchanged. */
const putOffEvent = (options: WorkerOptions, event: WebhookEvent, error: ShopUnavailableError | WaitForEarlierEvents) =>
  putOff(options.db, event, options.workerId, error.retryAt, error.message);

/**
 * A batch in the runs it is applied in, one after another: a redaction alone, after
 * the events received before it have been applied (it erases what they stored) and
 * before those received after it are prepared.
 */
function runs(events: WebhookEvent[]): WebhookEvent[][] {
  const out: WebhookEvent[][] = [];
  let run: WebhookEvent[] = [];
  for (const event of events) {
    if (!REDACTION_TOPICS.has(event.topic)) {
      run.push(event);
      continue;
    }
    if (run.length) out.push(run);
    out.push([event]);
    run = [];
  }
  if (run.length) out.push(run);
  return out;
}

/** Not the event's fault (its shop's Admin API is unavailable, or it waits for earlier events): no attempt is used up. */
const putsOff = (error: unknown): error is ShopUnavailableError | WaitForEarlierEvents =>
  error instanceof ShopUnavailableError || error instanceof WaitForEarlierEvents;

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
  let redacted = false;
  for (const run of runs(events)) {
    await processRun(run, options, wall);
    redacted ||= REDACTION_TOPICS.has(run[0]!.topic);
  }
  await scrubFreedSpace(options.db, redacted);
  return events.length;
}

async function processRun(events: WebhookEvent[], options: WorkerOptions, wall: Date): Promise<void> {
  const context: HandlerContext = {
    db: options.db,
    gateway: perShop(options),
    settings: settingsLoader(options.db),
    storedOrder: storedOrderLoader(options.db),
    now: options.clock?.() ?? wall,
    batch: newBatch(),
  };
  // Prepared together: their reads share queries and their Admin API calls overlap.
  const outcomes = await Promise.allSettled(events.map((event) => prepare(event, context)));
  const ready: PreparedEvent[] = [];
  const later: WebhookEvent[] = [];
  const waiting: Array<{ event: WebhookEvent; error: ShopUnavailableError | WaitForEarlierEvents }> = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") ready.push({ event: events[i]!, prepared: outcome.value });
    // What it waits for may be in this batch: tried again once the batch is applied, put off if still missing.
    else if (outcome.reason instanceof ReturnNotRecordedYet) later.push(events[i]!);
    else if (putsOff(outcome.reason)) waiting.push({ event: events[i]!, error: outcome.reason });
    else later.push(events[i]!); // may depend on an event of this batch: tried again once it is applied
  });
  for (const { event, error } of waiting) await putOffEvent(options, event, error);
  try {
    if (ready.length) await applyTogether(ready, options, context);
  } catch {
    // Something in the batch failed, or a lease ran out: one transaction per event, so
    // the rest go through (an event this worker no longer holds is left to its holder).
    later.unshift(...ready.map((item) => item.event));
  }
  for (const event of later) {
    try {
      const alone = {
        ...context,
        gateway: perShop(options),
        storedOrder: storedOrderLoader(options.db),
        batch: newBatch(),
      };
      await applyTogether([{ event, prepared: await prepare(event, alone) }], options, alone);
    } catch (error) {
      if (putsOff(error)) await putOffEvent(options, event, error);
      else if (!(error instanceof LeaseLost)) await markFailed(options.db, event, options.workerId, error);
    }
  }
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
      const cache = new OrderCache(tx);
      await refreshOrder(cache, orderId, await settings(shop), now);
      await cache.flush();
      await tx.orderDeadline.updateMany({
        where: { orderId, actedAt: null, dueAt: { lte: now } },
        data: { actedAt: now },
      });
    });
  }
  return due.length;
}

/** Reconcile shops RECONCILE_CONCURRENCY at a time; one shop's failure is logged and the others go on. */
const RECONCILE_CONCURRENCY = 4;
async function reconcileShops(options: WorkerOptions, shops: string[], signal: AbortSignal): Promise<void> {
  const queue = [...shops];
  const lane = async () => {
    for (let shop = queue.shift(); shop && !signal.aborted; shop = queue.shift()) {
      await options
        .gateway(shop)
        .then((gateway) => reconcileOrders(options.db, gateway, new Date(), signal))
        .catch((error) => console.error(`reconcile ${shop}: ${(error as Error)?.message ?? error}`));
    }
  };
  await Promise.all(Array.from({ length: RECONCILE_CONCURRENCY }, lane));
}

/** Run until aborted: drain the inbox, sweep deadlines now and then, idle-poll when empty. */
export async function runWorker(options: WorkerOptions, signal: AbortSignal): Promise<void> {
  let lastSweep = 0;
  let lastReconcile = Date.now();
  let reconciling: Promise<unknown> | null = null;
  while (!signal.aborted) {
    if (!reconciling && Date.now() - lastReconcile > (options.reconcileEveryMs ?? 15 * 60_000)) {
      lastReconcile = Date.now();
      // Beside the batches, a few shops at a time: a slow or hung shop holds up neither the inbox nor other shops.
      reconciling = installedShops(options.db)
        .then((shops) => reconcileShops(options, shops, signal))
        .catch((error) => console.error("reconcile:", error))
        .finally(() => (reconciling = null));
    }
    const claimed = await processBatch(options).catch((error) => {
      console.error("webhook worker:", error);
      return 0;
    });
    if (Date.now() - lastSweep > (options.sweepEveryMs ?? 60_000)) {
      lastSweep = Date.now();
      await sweepDueDeadlines(options.db, options.clock?.()).catch((error) => console.error("deadline sweep:", error));
      // TML-6 with the shop's setting on: unpaid payment-on-delivery orders past their deadline are cancelled.
      await cancelOverdueUnpaidOrders(options.clock?.() ?? new Date(), {
        db: options.db,
        gateway: options.gateway,
      }).catch((error) => console.error("unpaid payment-on-delivery sweep:", error));
    }
    if (claimed === 0) await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
  // Bounded: every Admin API request has a timeout and a budget, and put-off pages stop waiting on abort.
  await reconciling;
}
