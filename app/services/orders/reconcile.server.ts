import type { PrismaClient } from "@prisma/client";
import { RECONCILE_ORDERS_QUERY } from "./order-documents";
import { setTimeout as sleep } from "node:timers/promises";
import { ShopUnavailableError, type AdminGateway } from "../shopify/admin-gateway.server";
import { enqueue } from "../inbox/webhook-inbox.server";

/** How far back an install backfills. */
export const BACKFILL_DAYS = 60;
/** Each pull re-reads a little before the last sync, for orders updated while it ran. */
const OVERLAP_MS = 10 * 60_000;

interface ReconcilePage {
  orders: {
    nodes: Array<{ id: string; updatedAt: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/**
 * Pull orders updated since the last sync (or the backfill window) and queue each
 * snapshot in the inbox, keyed by order and updated_at: a snapshot already seen is a
 * no-op, and applying follows the same path as webhooks, so a missed delivery heals.
 */
export async function reconcileOrders(
  db: PrismaClient,
  gateway: AdminGateway,
  now = new Date(),
  signal?: AbortSignal,
): Promise<number> {
  const shop = gateway.shop;
  const state = await db.syncState.findUnique({ where: { shop } });
  const since = state?.ordersSyncedAt
    ? new Date(state.ordersSyncedAt.getTime() - OVERLAP_MS)
    : new Date(now.getTime() - BACKFILL_DAYS * 86_400_000);
  let queued = 0;
  let after: string | null = null;
  do {
    const page = await pageOfOrders(gateway, `updated_at:>='${since.toISOString()}'`, after, signal);
    for (const node of page.orders.nodes) {
      const fresh = await enqueue(db, {
        webhookId: `reconcile:${node.id}:${node.updatedAt}`,
        shop,
        topic: "reconcile/order",
        body: JSON.stringify(node),
        triggeredAt: new Date(node.updatedAt),
      });
      if (fresh) queued++;
    }
    after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
  } while (after);
  await db.syncState.upsert({
    where: { shop },
    create: { shop, ordersSyncedAt: now, backfilledAt: now },
    update: { ordersSyncedAt: now },
  });
  return queued;
}

/** Every installed shop, for the periodic pull. */
export async function installedShops(db: PrismaClient): Promise<string[]> {
  const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  return shops.map((s) => s.domain);
}

/** How long a backfill waits, per page, for a shop whose Admin API put it off (throttled, briefly down). */
const PAGE_WAIT_LIMIT_MS = 120_000;

/**
 * One page of updated orders. The install backfill competes with the merchant's pages and the
 * first audit for the shop's query-cost bucket: a page put off until the bucket refills is asked
 * again then, so the backfill goes on from where it was instead of waiting for the next pull.
 */
async function pageOfOrders(
  gateway: AdminGateway,
  query: string,
  after: string | null,
  signal?: AbortSignal,
): Promise<ReconcilePage> {
  const started = Date.now();
  for (;;) {
    try {
      return await gateway.request<ReconcilePage>(RECONCILE_ORDERS_QUERY, { query, after });
    } catch (error) {
      if (!(error instanceof ShopUnavailableError)) throw error;
      const wait = Math.max(error.retryAt.getTime() - Date.now(), 250);
      if (signal?.aborted || Date.now() + wait - started > PAGE_WAIT_LIMIT_MS) throw error;
      // A stopping worker does not wait out the put-off: the next pull starts from the last sync.
      await sleep(wait, undefined, { signal }).catch(() => {
        throw error;
      });
    }
  }
}
