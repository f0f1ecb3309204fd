import type { Prisma, PrismaClient } from "@prisma/client";
import { hoursWindowEnd, refundVisibleWindow, type PolicySettings, type RuleId } from "../../policy";
import { QUEUE_TABS, type QueueTab } from "./queue-tabs";
import { CLOCK_FACTS, overdueMatching, overdueReturns, pageOfIds, searchPage } from "./queue-overdue.server";
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
    case "approved":
    case "label_voided": {
      // A voided label may have been followed by a new one: its own clock then runs.
      const label = ret.labels.find((l) => l.status === "issued");
      if (label) return clock("label_voids", "Label voids", "RET-6", label.voidsAt);
      return ret.status === "approved" ? clock("send_label", "Send the label", "RET-6", null) : null;
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
 * the clock that matters now. Overdue returns come first across the whole queue (read from
 * the indexed label and (shop, status) rows first: they are few), then the rest in the usual
 * order (open states oldest first, finished ones newest first), paginated across both parts.
 * A fixed number of indexed queries whatever the number of returns.
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
  const [grouped, { ids, hasMore }] = await Promise.all([
    db.return.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    pageIds(db, shop, input.tab, where, search, oldestFirst, page * PAGE_SIZE, settings, now),
  ]);
  const found = ids.length ? await db.return.findMany({ where: { shop, id: { in: ids } }, select: ROW_FACTS }) : [];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
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
    hasMore,
    rows: rows.map((r) => ({
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
    })),
  };
}

/** What a queue row shows of a return, with what its clock needs. */
const ROW_FACTS = {
  ...CLOCK_FACTS,
  name: true,
  currency: true,
  order: { select: { name: true, email: true } },
  lines: { select: { quantity: true, unitPriceCents: true } },
  labels: {
    select: { status: true, voidsAt: true, trackingNumber: true },
    orderBy: { issuedAt: "desc" },
  },
} satisfies Prisma.ReturnSelect;

/** The page's ids: overdue first across the tab (or the search), then the rest in the usual order. */
async function pageIds(
  db: PrismaClient,
  shop: string,
  tab: QueueTab,
  where: Prisma.ReturnWhereInput,
  search: string,
  oldestFirst: boolean,
  start: number,
  settings: PolicySettings,
  now: Date,
): Promise<{ ids: string[]; hasMore: boolean }> {
  const page = { start, size: PAGE_SIZE };
  if (search) {
    const found = await searchPage(db, where, { oldestFirst }, page, settings, now, returnClock);
    if (found) return found;
  }
  const overdue = search
    ? await overdueMatching(db, where, settings, now, returnClock)
    : await overdueReturns(db, shop, settings, now, returnClock, tab === "all" ? null : [tab]);
  return pageOfIds(db, where, { oldestFirst }, overdue, start, PAGE_SIZE);
}
