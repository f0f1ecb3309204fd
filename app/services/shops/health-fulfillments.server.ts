import type { PrismaClient } from "@prisma/client";
import type { HealthCheck } from "../../policy/health";

const WINDOW_DAYS = 30;

/**
 * SHP-4 on the health page: the parcels of the last 30 days the fulfillment audit flagged
 * (carrier outside the store's list, no signature confirmation), each with what was found.
 */
export async function fulfillmentAuditCheck(db: PrismaClient, shop: string, now: Date): Promise<HealthCheck> {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const flagged = await db.orderEvent.findMany({
    where: { kind: "fulfillment_flagged", occurredAt: { gte: since }, order: { shop } },
    orderBy: { occurredAt: "desc" },
    take: 20,
    select: { source: true, order: { select: { name: true } } },
  });
  const base = {
    id: "fulfillment-audit",
    title: "Carrier and signature on domestic parcels",
    rules: ["SHP-4"],
  } as const;
  if (!flagged.length)
    return {
      ...base,
      state: "ok",
      summary: `No parcel of the last ${WINDOW_DAYS} days was sent against SHP-4.`,
      details: [],
      fix: null,
    };
  const count = `${flagged.length}${flagged.length === 20 ? "+" : ""}`;
  return {
    ...base,
    state: "drift",
    summary: `${count} parcel${flagged.length === 1 ? "" : "s"} of the last ${WINDOW_DAYS} days sent without signature confirmation or with another carrier.`,
    details: flagged.map((e) => `${e.order.name}: ${e.source}`),
    fix: null,
  };
}
