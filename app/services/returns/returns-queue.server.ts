import type { Prisma, PrismaClient } from "@prisma/client";
import { hoursWindowEnd, refundVisibleWindow, type PolicySettings, type RuleId } from "../../policy";
import { QUEUE_TABS, type QueueTab } from "./queue-tabs";
import { returnDeadlineKey, type ReturnDeadlineKind } from "./return-record.server";

export { QUEUE_TABS, parseTab, type QueueTab } from "./queue-tabs";

/** States where something is still to be done: oldest first (their clocks run out first). */
const OPEN_STATES = new Set<string>(["requested", "approved", "in_transit", "received", "inspected"]);

export const PAGE_SIZE = 50;

/** The clock that matters now for a return, when one does. */
export interface ReturnClock {
  kind: "answer_due" | "label_voids" | "send_label" | "must_arrive" | "inspect" | "refund_due" | "refund_visible";
  label: string;
  rule: RuleId;
  /** When it runs out; null when it is due now (a refund to issue) or has no time. */
  at: Date | null;
  overdue: boolean;
}

interface ClockFacts {
  id: string;
  status: string;
  reason: string;
  requestedAt: Date;
  answeredAt: Date | null;
  receivedAt: Date | null;
  refundedAt: Date | null;
  inspection: unknown;
  labels: Array<{ status: string; voidsAt: Date }>;
}

/**
 * Which clock matters now: the RET-9 answer to a wrong-item report, the RET-6 label void, the
 * RET-12 arrival date, the inspection (RET-5), the refund that is due, or when it shows (RET-8).
 * Stored deadlines (`<kind>:<return gid>`) win over what is computed from the return.
 */
export function returnClock(
  ret: ClockFacts,
  deadlines: ReadonlyMap<string, Date>,
  settings: PolicySettings,
  now: Date,
): ReturnClock | null {
  const stored = (kind: ReturnDeadlineKind) => deadlines.get(returnDeadlineKey(kind, ret.id)) ?? null;
  const clock = (kind: ReturnClock["kind"], label: string, rule: RuleId, at: Date | null, overdue = false) => ({
    kind,
    label,
    rule,
    at,
    overdue: overdue || (at !== null && at < now),
  });
  switch (ret.status) {
    case "requested":
      if (ret.reason !== "wrong_item" || ret.answeredAt) return null;
      return clock(
        "answer_due",
        "Answer due",
        "RET-9",
        stored("return_answer") ?? hoursWindowEnd(ret.requestedAt, settings.returns.wrongItem.answerHours),
      );
    case "approved": {
      const label = ret.labels.find((l) => l.status === "issued");
      return label
        ? clock("label_voids", "Label voids", "RET-6", label.voidsAt)
        : clock("send_label", "Send the label", "RET-6", null);
    }
    case "in_transit": {
      const arrival = stored("return_arrival");
      return arrival ? clock("must_arrive", "Must arrive by", "RET-12", arrival) : null;
    }
    case "received":
      return clock("inspect", "Inspect", "RET-5", null);
    case "inspected": {
      const outcome = (ret.inspection as { outcome?: string } | null)?.outcome;
      return outcome === "failed" ? null : clock("refund_due", "Refund due", "RET-8", null, true);
    }
    case "refunded":
    case "closed": {
      if (!ret.refundedAt) return null;
      const by = stored("refund_visible") ?? refundVisibleWindow(ret.refundedAt, settings).by;
      // Past the window the money should be on the statement: nothing is overdue for staff.
      return by < now ? null : clock("refund_visible", "Refund shows by", "RET-8", by);
    }
    default:
      return null;
  }
}

/** Overdue first, then the soonest clock, then those without a time. */
function byUrgency(a: { clock: ReturnClock | null }, b: { clock: ReturnClock | null }): number {
  const rank = (c: ReturnClock | null) => (c?.overdue ? 0 : c?.at ? 1 : c ? 2 : 3);
  const diff = rank(a.clock) - rank(b.clock);
  if (diff) return diff;
  return (a.clock?.at?.getTime() ?? 0) - (b.clock?.at?.getTime() ?? 0);
}

/**
 * Search by order number ("1001", "#1001" — the return's name is the order's with "-R1"),
 * tracking number (indexed by shop) or customer email.
 */
function searchWhere(shop: string, search: string): Prisma.ReturnWhereInput {
  const q = search.trim();
  if (!q) return {};
  const number = /^#?(\d+)$/.exec(q)?.[1];
  return {
    OR: [
      ...(number ? [{ name: { startsWith: `#${number}-` } }] : [{ name: { startsWith: q } }]),
      { labels: { some: { shop, trackingNumber: q.toUpperCase() } } },
      { labels: { some: { shop, trackingNumber: q } } },
      ...(q.includes("@") || !number ? [{ order: { shop, email: { contains: q.toLowerCase() } } }] : []),
    ],
  };
}

export interface QueueRow {
  id: string;
  name: string | null;
  orderName: string;
  customer: string | null;
  status: string;
  reason: string;
  requestedAt: Date;
  units: number;
  valueCents: number;
  currency: string;
  trackingNumber: string | null;
  clock: ReturnClock | null;
}

export interface ReturnsQueue {
  tab: QueueTab;
  search: string;
  page: number;
  /** Returns per state (the tabs' counts), and all of them. */
  counts: Record<QueueTab, number>;
  rows: QueueRow[];
  /** More matching returns beyond this page. */
  hasMore: boolean;
}

/**
 * The Returns page: counts per state, one page of returns of a tab (or a search), each with
 * the clock that matters now, overdue ones first. A fixed number of indexed queries whatever
 * the number of returns: counts by (shop, status), the page by (shop, status, requestedAt),
 * its relations and deadlines each in one query for the whole page.
 */
export async function returnsQueue(
  db: PrismaClient,
  shop: string,
  input: { tab: QueueTab; search?: string; page?: number },
  settings: PolicySettings,
  now: Date,
): Promise<ReturnsQueue> {
  const search = input.search?.trim() ?? "";
  const page = Math.max(0, input.page ?? 0);
  const where: Prisma.ReturnWhereInput = {
    shop,
    ...(input.tab === "all" ? {} : { status: input.tab }),
    ...searchWhere(shop, search),
  };
  const oldestFirst = input.tab !== "all" && OPEN_STATES.has(input.tab);
  const [grouped, found] = await Promise.all([
    db.return.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    db.return.findMany({
      where,
      orderBy: [{ requestedAt: oldestFirst ? "asc" : "desc" }, { id: "asc" }],
      skip: page * PAGE_SIZE,
      take: PAGE_SIZE + 1,
      select: {
        id: true,
        name: true,
        orderId: true,
        status: true,
        reason: true,
        requestedAt: true,
        answeredAt: true,
        receivedAt: true,
        refundedAt: true,
        inspection: true,
        currency: true,
        order: { select: { name: true, email: true } },
        lines: { select: { quantity: true, unitPriceCents: true } },
        labels: {
          select: { status: true, voidsAt: true, trackingNumber: true },
          orderBy: { issuedAt: "desc" },
        },
      },
    }),
  ]);
  const rows = found.slice(0, PAGE_SIZE);
  const keys = rows.flatMap((r) =>
    (["return_answer", "return_arrival", "refund_visible"] as const).map((k) => returnDeadlineKey(k, r.id)),
  );
  const deadlineRows = rows.length
    ? await db.orderDeadline.findMany({
        where: { orderId: { in: [...new Set(rows.map((r) => r.orderId))] }, key: { in: keys } },
        select: { key: true, dueAt: true, settled: true },
      })
    : [];
  const deadlines = new Map(deadlineRows.filter((d) => !d.settled).map((d) => [d.key, d.dueAt]));
  const counts = Object.fromEntries(QUEUE_TABS.map((t) => [t.id, 0])) as Record<QueueTab, number>;
  for (const g of grouped) {
    if (g.status in counts) counts[g.status as QueueTab] = g._count._all;
    counts.all += g._count._all;
  }
  return {
    tab: input.tab,
    search,
    page,
    counts,
    hasMore: found.length > PAGE_SIZE,
    rows: rows
      .map((r) => ({
        id: r.id,
        name: r.name,
        orderName: r.order.name,
        customer: r.order.email,
        status: r.status,
        reason: r.reason,
        requestedAt: r.requestedAt,
        units: r.lines.reduce((s, l) => s + l.quantity, 0),
        valueCents: r.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0),
        currency: r.currency,
        trackingNumber: r.labels.find((l) => l.trackingNumber)?.trackingNumber ?? null,
        clock: returnClock(r, deadlines, settings, now),
      }))
      .sort(byUrgency),
  };
}
