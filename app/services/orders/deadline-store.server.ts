import type { PrismaClient } from "@prisma/client";
import { parseSettings, presetSettings } from "../../policy";
import { OrderCache } from "./order-cache.server";
import { refreshOrder } from "./order-timeline.server";

/** After a settings change: every stored deadline of the shop is computed again with the new numbers. */
export async function recomputeShopDeadlines(db: PrismaClient, shop: string, now = new Date()): Promise<number> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const settings = row ? parseSettings(row.settings) : presetSettings();
  const orders = await db.order.findMany({ where: { shop }, select: { id: true } });
  for (const { id } of orders)
    await db.$transaction(async (tx) => {
      const cache = new OrderCache(tx);
      await refreshOrder(cache, id, settings, now);
      await cache.flush();
    });
  return orders.length;
}

/** What is due in the next `hours` for a shop: one range scan of the (shop, settled, dueAt) index. */
export function dueSoon(db: PrismaClient, shop: string, now = new Date(), hours = 24) {
  return db.orderDeadline.findMany({
    where: { shop, settled: false, dueAt: { gte: now, lte: new Date(now.getTime() + hours * 3_600_000) } },
    orderBy: { dueAt: "asc" },
    include: { order: { select: { name: true } } },
  });
}

/** Open alerts (a deadline passed without its event), newest first. */
export function openAlerts(db: PrismaClient, shop: string, limit = 20) {
  return db.orderAlert.findMany({
    where: { shop, order: { cancelledAt: null } },
    orderBy: { since: "desc" },
    take: limit,
    include: { order: { select: { name: true, state: true } } },
  });
}
