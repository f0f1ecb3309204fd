import type { PrismaClient } from "@prisma/client";
import { STATUS_LABELS } from "./warranty-claim-record.server";
import { WARRANTY_TABS, type WarrantyTab } from "./warranty-tabs";

export interface WarrantyQueueRow {
  id: string;
  orderId: string;
  orderName: string;
  item: string;
  issue: string;
  covered: boolean;
  rule: string;
  filedAt: string;
  status: string;
}

/** The shop's claims in one state (oldest first: they have waited longest) and the count of each state. */
export async function warrantyQueue(db: PrismaClient, shop: string, tab: WarrantyTab) {
  const [claims, grouped] = await Promise.all([
    db.warrantyClaim.findMany({
      where: { shop, status: tab },
      orderBy: { filedAt: tab === "open" ? "asc" : "desc" },
      take: 200,
      include: { order: { select: { name: true, lines: { select: { id: true, title: true } } } } },
    }),
    db.warrantyClaim.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(
    WARRANTY_TABS.map((t) => [t, grouped.find((g) => g.status === t)?._count._all ?? 0]),
  ) as Record<WarrantyTab, number>;
  const rows: WarrantyQueueRow[] = claims.map((c) => ({
    id: c.id,
    orderId: c.orderId,
    orderName: c.order.name,
    item: c.order.lines.find((l) => l.id === c.orderLineId)?.title ?? "",
    issue: c.defect,
    covered: c.covered,
    rule: c.rule,
    filedAt: c.filedAt.toISOString(),
    status: STATUS_LABELS[c.status] ?? c.status,
  }));
  return { tab, counts, rows };
}
