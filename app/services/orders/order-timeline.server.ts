import type { Order, OrderEvent, Prisma } from "@prisma/client";
import {
  awaitsPaymentOnDelivery,
  derivedEvents,
  isOneOfAKind,
  type DerivedEvent,
  isSettled,
  orderAlerts,
  orderDeadlines,
  orderState,
  type OrderEventKind,
  type OrderFacts,
  type OrderShippingFacts,
  type PaymentFact,
  type PolicySettings,
} from "../../policy";
import type { CachedOrder, OrderCache } from "./order-cache.server";
import type { OrderSnapshot } from "./order-snapshot.server";

/** A payment fact as stored: the policy's view plus when the transaction happened. */
export type StoredPayment = PaymentFact & { processedAt: string };

/** TML-8: record a state change once; a later report of the same change keeps the earliest time. Returns whether the timeline changed. */
export async function recordEvent(
  orders: OrderCache,
  orderId: string,
  kind: OrderEventKind,
  ref: string,
  occurredAt: Date,
  source: string,
): Promise<boolean> {
  const order = await orders.require(orderId);
  const known = order.events.find((e) => e.kind === kind && e.ref === ref);
  if (!known) {
    orders.addEvent(order, { kind, ref, occurredAt, source });
    return true;
  }
  if (occurredAt >= known.occurredAt) return false;
  await orders.updateEvent(known, { occurredAt, source });
  return true;
}

const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded", "partially_paid"]);

/** When the order was paid: its earliest successful sale or capture. */
export function paidAt(payments: readonly StoredPayment[]): Date | null {
  const times = payments
    .filter((p) => p.status === "SUCCESS" && (p.kind === "SALE" || p.kind === "CAPTURE"))
    .map((p) => Date.parse(p.processedAt));
  return times.length ? new Date(Math.min(...times)) : null;
}

type SnapshotLine = OrderSnapshot["lines"][number];

const sameLines = (stored: readonly SnapshotLine[], incoming: readonly SnapshotLine[]) =>
  stored.length === incoming.length &&
  stored.every((line, i) => {
    const other = incoming[i]!;
    return (
      line.id === other.id &&
      line.variantId === other.variantId &&
      line.productId === other.productId &&
      line.title === other.title &&
      line.quantity === other.quantity &&
      line.unitPriceCents === other.unitPriceCents &&
      line.wristSize === other.wristSize &&
      line.compareAtCents === other.compareAtCents &&
      line.productTags === other.productTags &&
      line.taxCents === other.taxCents
    );
  });

/** A snapshot that lacks a line's return facts (a REST order has no compare-at price or tags) keeps those known. */
function withKnownReturnFacts(stored: readonly SnapshotLine[], incoming: SnapshotLine[]): SnapshotLine[] {
  const known = new Map(stored.map((line) => [line.id, line]));
  return incoming.map((line) => {
    const before = known.get(line.id);
    if (!before) return line;
    return {
      ...line,
      compareAtCents: line.compareAtCents ?? before.compareAtCents,
      productTags: line.productTags ?? before.productTags,
      taxCents: line.taxCents ?? before.taxCents,
    };
  });
}

/**
 * Apply one snapshot of an order. Its fields replace the stored ones only if it
 * is newer (Shopify's updated_at); the events it proves are recorded either way.
 * New or changed lines are checked for oversells (INV-3). Returns whether anything changed.
 */
export async function applyOrderSnapshot(
  orders: OrderCache,
  shop: string,
  snap: OrderSnapshot,
  source: string,
  payments: StoredPayment[] | null,
  settings: PolicySettings,
): Promise<boolean> {
  const existing = await orders.get(snap.id);
  const fields = {
    shop,
    name: snap.name,
    customerId: snap.customerId,
    email: snap.email,
    processedAt: snap.processedAt,
    // Shopify cannot undo a cancellation: a snapshot taken just before it (same updated_at) keeps it.
    cancelledAt: snap.cancelledAt ?? existing?.cancelledAt ?? null,
    shopifyUpdatedAt: snap.updatedAt,
    financialStatus: snap.financialStatus,
    fulfillmentStatus: snap.fulfillmentStatus,
    currency: snap.currency,
    subtotalCents: snap.subtotalCents,
    shippingCents: snap.shippingCents,
    totalCents: snap.totalCents,
    shippingFacts: snap.shipping as unknown as Prisma.JsonObject,
    ...(payments ? { payments: payments as unknown as object } : {}),
  };
  const newer = !existing || snap.updatedAt > existing.shopifyUpdatedAt;
  let changed = newer || Boolean(payments);
  let order: CachedOrder;
  if (!existing) order = await orders.createOrder({ id: snap.id, ...fields });
  else {
    order = existing;
    if (newer) orders.updateOrder(order, fields);
    else if (payments) orders.updateOrder(order, { payments: payments as unknown as Prisma.JsonValue });
  }
  // Most updates leave the lines as they were: rewritten only when they differ.
  const lines = withKnownReturnFacts(order.lines, snap.lines);
  if (newer && !sameLines(order.lines, lines)) {
    await orders.replaceLines(order, lines);
    if (await flagOversold(orders, order, settings)) changed = true;
  }

  // The events this snapshot proves, written in one pass against what is already recorded.
  const proven: Array<{ kind: OrderEventKind; ref: string; at: Date }> = [
    { kind: "placed", ref: "", at: snap.processedAt },
  ];
  const paid = payments ? paidAt(payments) : null;
  if (paid && snap.financialStatus && PAID_STATUSES.has(snap.financialStatus))
    proven.push({ kind: "paid", ref: "", at: paid });
  if (snap.cancelledAt) proven.push({ kind: "cancelled", ref: "", at: snap.cancelledAt });
  for (const f of snap.fulfillments) {
    proven.push({ kind: "shipped", ref: f.id, at: f.createdAt });
    if (f.deliveredAt) proven.push({ kind: "delivered", ref: f.id, at: f.deliveredAt });
  }
  for (const r of snap.refunds) proven.push({ kind: "refunded", ref: r.id, at: r.createdAt });
  const known = new Map(order.events.map((e) => [`${e.kind}|${e.ref}`, e]));
  for (const p of proven) {
    const event = known.get(`${p.kind}|${p.ref}`);
    if (!event) {
      orders.addEvent(order, { kind: p.kind, ref: p.ref, occurredAt: p.at, source });
      changed = true;
    } else if (p.at < event.occurredAt) {
      await orders.updateEvent(event, { occurredAt: p.at, source });
      changed = true;
    }
  }
  return changed;
}

const earliest = (events: OrderEvent[], kind: string) =>
  events
    .filter((e) => e.kind === kind)
    .map((e) => e.occurredAt)
    .sort((a, b) => +a - +b)[0] ?? null;
const latest = (events: OrderEvent[], kind: string) =>
  events
    .filter((e) => e.kind === kind)
    .map((e) => e.occurredAt)
    .sort((a, b) => +b - +a)[0] ?? null;

/** Return steps of a label the order-level RET-6 rule leaves to the label service. */
const LABEL_KINDS = new Set(["label_issued", "return_shipped"]);

/**
 * The policy's facts about an order, derived from its recorded events (never from arrival order).
 * Labels of `labelReturns` (returns whose label the app tracks in ReturnLabel) are left out: their
 * void is the label service's, recorded under the return, so the order-level rule must not repeat it.
 */
export function factsFromTimeline(
  order: Pick<Order, "processedAt" | "payments" | "shippingFacts">,
  recorded: OrderEvent[],
  labelReturns: ReadonlySet<string> = new Set(),
): OrderFacts {
  const payments = (order.payments as unknown as StoredPayment[] | null) ?? [];
  const events = labelReturns.size
    ? recorded.filter((e) => !(LABEL_KINDS.has(e.kind) && labelReturns.has(e.ref)))
    : recorded;
  return {
    placedAt: order.processedAt,
    cancelledAt: earliest(events, "cancelled"),
    shippedAt: earliest(events, "shipped"),
    deliveredAt: earliest(events, "delivered"),
    awaitingPaymentOnDelivery: awaitsPaymentOnDelivery(payments),
    returnLabelIssuedAt: latest(events, "label_issued"),
    returnShippedAt: earliest(events, "return_shipped"),
    wrongItemReportedAt: null,
    refundedAt: latest(events, "refunded"),
    shipping: order.shippingFacts as unknown as OrderShippingFacts | null,
  };
}

const DERIVED_KINDS = ["processing", "label_voided"] as const;

/** Derived entries follow the facts: added when they hold, removed when later facts say they never happened. */
async function syncDerivedEvents(orders: OrderCache, order: CachedOrder, wanted: DerivedEvent[]): Promise<void> {
  for (const kind of DERIVED_KINDS) {
    const want = wanted.find((e) => e.kind === kind);
    const have = order.events.find((e) => e.kind === kind && e.ref === "");
    if (want && (!have || have.occurredAt.getTime() !== want.occurredAt.getTime())) {
      const data = { occurredAt: want.occurredAt, source: want.rule };
      if (have) await orders.updateEvent(have, data);
      else orders.addEvent(order, { kind, ref: "", ...data });
    } else if (!want && have) {
      await orders.deleteEvent(order, have);
    }
  }
}

/** The order's returns whose label the app issued and tracks (ReturnLabel); asked only when a label is on the timeline. */
async function trackedLabelReturns(orders: OrderCache, order: CachedOrder): Promise<Set<string>> {
  const refs = [...new Set(order.events.filter((e) => e.kind === "label_issued").map((e) => e.ref))];
  if (!refs.length) return new Set();
  const rows = await orders.tx.returnLabel.findMany({
    where: { shop: order.shop, returnId: { in: refs } },
    select: { returnId: true },
    distinct: ["returnId"],
  });
  return new Set(rows.map((r) => r.returnId));
}

/** Recompute the order's state, deadlines (stored for indexed queries) and alerts, writing only what changed. */
export async function refreshOrder(
  orders: OrderCache,
  orderId: string,
  settings: PolicySettings,
  now: Date,
): Promise<void> {
  const order = await orders.require(orderId);
  const facts = factsFromTimeline(order, order.events, await trackedLabelReturns(orders, order));
  await syncDerivedEvents(orders, order, derivedEvents(facts, settings, now));
  const state = orderState(
    order.events.map((e) => ({ kind: e.kind as OrderEventKind, occurredAt: e.occurredAt, ref: e.ref })),
  );
  if (state !== order.state) orders.updateOrder(order, { state });

  const deadlines = orderDeadlines(facts, settings);
  const wanted = new Set<string>(deadlines.map((d) => d.key));
  // Keys with a ":" are a return's own deadlines (`<kind>:<return gid>`), kept by the return's record.
  const stale = order.deadlines.filter((d) => !wanted.has(d.key) && !d.key.includes(":"));
  if (stale.length) await orders.deleteDeadlines(order, stale);
  for (const d of deadlines) {
    const data = { rule: d.rule, dueAt: d.at, projected: d.projected, settled: isSettled(d, facts) };
    const known = order.deadlines.find((stored) => stored.key === d.key);
    if (!known) orders.addDeadline(order, { key: d.key, ...data });
    else if (
      known.dueAt.getTime() !== data.dueAt.getTime() ||
      known.settled !== data.settled ||
      known.projected !== data.projected ||
      known.rule !== data.rule
    ) {
      // A moved deadline is acted on again when it comes due.
      const moved = known.dueAt.getTime() !== data.dueAt.getTime();
      await orders.updateDeadline(known, { ...data, ...(moved ? { actedAt: null } : {}) });
    }
  }

  const alerted = new Set(order.alerts.map((a) => a.kind));
  for (const alert of orderAlerts(facts, settings, now)) {
    if (!alerted.has(alert.kind)) orders.addAlert(order, { kind: alert.kind, rule: alert.rule, since: alert.since });
  }
}

/**
 * INV-3: of two live orders holding the same one-of-a-kind variant, the later one
 * is an oversell (the first completed checkout wins). Checked whenever an order's
 * lines are written, against the orders already stored, so delivery order does not matter.
 */
async function flagOversold(orders: OrderCache, order: CachedOrder, settings: PolicySettings): Promise<boolean> {
  const { tx } = orders;
  if (order.cancelledAt) return false;
  let variantIds = order.lines.map((l) => l.variantId).filter((id): id is string => Boolean(id));
  if (settings.inventory.oneOfAKind.scope === "tagged") {
    const known = await tx.variantInventory.findMany({
      where: { id: { in: variantIds } },
      select: { id: true, productTags: true },
    });
    variantIds = known
      .filter((v) => isOneOfAKind(JSON.parse(v.productTags) as string[], settings.inventory))
      .map((v) => v.id);
  }
  if (!variantIds.length) return false;
  await orders.flushOrders(); // the query reads other orders' cancellations
  const others = await tx.orderLine.findMany({
    where: {
      variantId: { in: variantIds },
      orderId: { not: order.id },
      order: { shop: order.shop, cancelledAt: null },
    },
    select: { order: { select: { id: true, processedAt: true } } },
  });
  const oversold = new Map<string, Date>();
  for (const { order: other } of others) {
    const otherFirst =
      other.processedAt < order.processedAt || (+other.processedAt === +order.processedAt && other.id < order.id);
    const later = otherFirst ? order : other;
    oversold.set(later.id, later.processedAt);
  }
  for (const [orderId, since] of oversold) {
    const alert = await tx.orderAlert.upsert({
      where: { orderId_kind: { orderId, kind: "oversold" } },
      create: { orderId, shop: order.shop, kind: "oversold", rule: "INV-3", since },
      update: {},
    });
    const cached = orders.peek(orderId);
    if (cached && !cached.alerts.some((a) => a.kind === "oversold")) cached.alerts.push(alert);
  }
  return oversold.has(order.id);
}
