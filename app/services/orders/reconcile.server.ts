import type { PrismaClient } from "@prisma/client";
import { RECONCILE_ORDERS_QUERY } from "./order-documents";
import type { AdminGateway } from "../shopify/admin-gateway.server";
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
export async function reconcileOrders(db: PrismaClient, gateway: AdminGateway, now = new Date()): Promise<number> {
  const shop = gateway.shop;
  const state = await db.syncState.findUnique({ where: { shop } });
  const since = state?.ordersSyncedAt
    ? new Date(state.ordersSyncedAt.getTime() - OVERLAP_MS)
    : new Date(now.getTime() - BACKFILL_DAYS * 86_400_000);
  let queued = 0;
  let after: string | null = null;
  do {
    const page: ReconcilePage = await gateway.request<ReconcilePage>(RECONCILE_ORDERS_QUERY, {
      query: `updated_at:>='${since.toISOString()}'`,
      after,
    });
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
