import type { Prisma, PrismaClient } from "@prisma/client";
import type { PolicySettings } from "../../policy";
import { returnDeadlineKey } from "./return-record.server";
// Type only: the queue passes its clock in, so the two files do not import each other.
import type { returnClock as ReturnClockOf } from "./returns-queue.server";

/** An overdue return as the queue orders it: its state, and when its clock ran out (null: due now). */
export interface OverdueReturn {
  id: string;
  status: string;
  requestedAt: Date;
  at: Date | null;
}

/** Lists of ids are sent in slices: SQLite and PostgreSQL limit a query's parameters. */
const SLICE = 500;

/** `read` over `ids` a slice at a time (in parallel), the answers put together. */
export async function bySlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const slices: string[][] = [];
  for (let i = 0; i < ids.length; i += SLICE) slices.push(ids.slice(i, i + SLICE));
  return (await Promise.all(slices.map(read))).flat();
}

/** The states whose clock is a label's void moment (RET-6). */
const LABEL_STATES = ["approved", "label_voided"];

/** What a return's clock is computed from (returnClock), its labels aside. */
const CLOCK_SCALARS = {
  id: true,
  orderId: true,
  status: true,
  reason: true,
  requestedAt: true,
  answeredAt: true,
  receivedAt: true,
  refundedAt: true,
  inspection: true,
} as const;

/** What a return's clock is computed from (returnClock), with its labels newest first. */
export const CLOCK_FACTS = {
  ...CLOCK_SCALARS,
  labels: { select: { status: true, voidsAt: true }, orderBy: { issuedAt: "desc" } },
} as const;

type Candidate = Parameters<typeof ReturnClockOf>[0] & { orderId: string };

/** The candidates' stored deadlines (they win over computed ones), read by order: no key lists. */
async function storedDeadlines(db: PrismaClient, candidates: readonly Candidate[]): Promise<Map<string, Date>> {
  const reading = candidates.filter((r) => r.status === "requested" || r.status === "in_transit");
  const wanted = new Set(
    reading.map((r) => returnDeadlineKey(r.status === "requested" ? "return_answer" : "return_arrival", r.id)),
  );
  const rows = await bySlices([...new Set(reading.map((r) => r.orderId))], (orderIds) =>
    db.orderDeadline.findMany({
      where: { orderId: { in: orderIds } },
      select: { key: true, dueAt: true, settled: true },
    }),
  );
  return new Map(rows.filter((d) => !d.settled && wanted.has(d.key)).map((d) => [d.key, d.dueAt]));
}

/** The overdue ones of `candidates`, most urgent first (due now, then the clock that ran out first). */
async function overdueOf(
  db: PrismaClient,
  candidates: readonly Candidate[],
  settings: PolicySettings,
  now: Date,
  returnClock: typeof ReturnClockOf,
): Promise<OverdueReturn[]> {
  const deadlines = await storedDeadlines(db, candidates);
  return candidates
    .flatMap((r) => {
      const clock = returnClock(r, deadlines, settings, now);
      return clock?.overdue ? [{ id: r.id, status: r.status, requestedAt: r.requestedAt, at: clock.at }] : [];
    })
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Every overdue return of the shop, most urgent first. Only the returns whose clock can have
 * run out are read, each through an index: labels still issued past RET-6's moment (ReturnLabel
 * by status, voidsAt), and by (shop, status) wrong-item reports not answered (RET-9), parcels in
 * transit (RET-12) and inspected items awaiting their refund (RET-8). Their clocks are then
 * computed exactly as the page computes them.
 */
export async function overdueReturns(
  db: PrismaClient,
  shop: string,
  settings: PolicySettings,
  now: Date,
  returnClock: typeof ReturnClockOf,
  /** Only these states (a tab), or every state. */
  states: readonly string[] | null = null,
): Promise<OverdueReturn[]> {
  const wanted = (...these: string[]) => !states || these.some((s) => states.includes(s));
  const labelStates = states ? LABEL_STATES.filter((s) => states.includes(s)) : LABEL_STATES;
  const none = Promise.resolve([]);
  const scalars = (where: Prisma.ReturnWhereInput) =>
    db.return.findMany({ where: { shop, ...where }, select: CLOCK_SCALARS });
  const [voiding, unanswered, moving, inspected] = await Promise.all([
    labelStates.length
      ? db.returnLabel.findMany({
          where: { status: "issued", voidsAt: { lt: now }, shop, return: { status: { in: labelStates } } },
          select: { voidsAt: true, issuedAt: true, return: { select: CLOCK_SCALARS } },
          orderBy: { issuedAt: "asc" },
        })
      : none,
    wanted("requested") ? scalars({ status: "requested", reason: "wrong_item", answeredAt: null }) : none,
    wanted("in_transit") ? scalars({ status: "in_transit" }) : none,
    wanted("inspected") ? scalars({ status: "inspected" }) : none,
  ]);
  // A return's clock is its newest issued label's (a replaced label is voided first).
  const labelled = new Map(
    voiding.map((l) => [l.return.id, { ...l.return, labels: [{ status: "issued", voidsAt: l.voidsAt }] }]),
  );
  const others = [...unanswered, ...moving, ...inspected].map((r) => ({ ...r, labels: [] }));
  return overdueOf(db, [...labelled.values(), ...others], settings, now, returnClock);
}

/** A search's matches are read whole (once) up to this many; a broader one pages through indexes. */
const SEARCH_WHOLE = 1_000;

/**
 * A search's page when it matches few returns (as searches by order number, tracking number or
 * email do): its matches read once in the usual order, its overdue ones put first. Null when
 * it matches more than SEARCH_WHOLE: the caller pages through the indexes instead.
 */
export async function searchPage(
  db: PrismaClient,
  where: Prisma.ReturnWhereInput,
  order: UsualOrder,
  page: { start: number; size: number },
  settings: PolicySettings,
  now: Date,
  returnClock: typeof ReturnClockOf,
): Promise<{ ids: string[]; hasMore: boolean } | null> {
  const matches = await db.return.findMany({
    where,
    orderBy: [{ requestedAt: order.oldestFirst ? "asc" : "desc" }, { id: "asc" }],
    take: SEARCH_WHOLE + 1,
    select: CLOCK_FACTS,
  });
  if (matches.length > SEARCH_WHOLE) return null;
  const overdue = (await overdueOf(db, matches, settings, now, returnClock)).map((o) => o.id);
  const late = new Set(overdue);
  const ids = [...overdue, ...matches.filter((m) => !late.has(m.id)).map((m) => m.id)];
  return { ids: ids.slice(page.start, page.start + page.size), hasMore: ids.length > page.start + page.size };
}

/** The overdue returns among those `where` matches, with their labels as they are. */
export async function overdueMatching(
  db: PrismaClient,
  where: Prisma.ReturnWhereInput,
  settings: PolicySettings,
  now: Date,
  returnClock: typeof ReturnClockOf,
): Promise<OverdueReturn[]> {
  const matches = await db.return.findMany({ where, select: CLOCK_FACTS });
  return overdueOf(db, matches, settings, now, returnClock);
}

/** The queue's usual order: open states oldest request first, the others newest first; then by id. */
export interface UsualOrder {
  oldestFirst: boolean;
}

/**
 * One page of ids: the overdue returns first (already in their order), then the rest in the
 * usual order, as if the overdue ones had been taken out of it. The rest is read as light rows
 * (id, requestedAt) from where it can start — overdue rows before that point only push it
 * further — and the overdue ones among them are stepped over; no list of ids is sent.
 */
export async function pageOfIds(
  db: PrismaClient,
  where: Prisma.ReturnWhereInput,
  order: UsualOrder,
  overdue: readonly OverdueReturn[],
  start: number,
  size: number,
): Promise<{ ids: string[]; hasMore: boolean }> {
  const first = overdue.slice(start, start + size).map((o) => o.id);
  if (overdue.length > start + size) return { ids: first, hasMore: true };
  const restTake = size - first.length;
  const restStart = Math.max(0, start - overdue.length);
  const stepOver = Math.min(overdue.length, restStart);
  const window = await db.return.findMany({
    where,
    orderBy: [{ requestedAt: order.oldestFirst ? "asc" : "desc" }, { id: "asc" }],
    skip: restStart,
    // Enough to step over every overdue row and still fill the page, and one more.
    take: stepOver + overdue.length + restTake + 1,
    select: { id: true, requestedAt: true },
  });
  const head = window[0];
  const precedes = (o: OverdueReturn) =>
    head !== undefined &&
    (o.requestedAt.getTime() === head.requestedAt.getTime()
      ? o.id < head.id
      : order.oldestFirst === o.requestedAt < head.requestedAt);
  // Overdue rows before the window's start are the rest rows it starts too late by.
  const late = overdue.filter(precedes).length;
  const overdueIds = new Set(overdue.map((o) => o.id));
  const rest = window.filter((w) => !overdueIds.has(w.id)).slice(late, late + restTake + 1);
  return { ids: [...first, ...rest.slice(0, restTake).map((r) => r.id)], hasMore: rest.length > restTake };
}
