import type { Order, OrderEvent } from "@prisma/client";
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
  type PaymentFact,
  type PolicySettings,
} from "../policy";
import type { OrderSnapshot } from "./order-snapshot.server";
import type { Tx } from "./webhook-inbox.server";

/** A payment fact as stored: the policy's view plus when the transaction happened. */
export type StoredPayment = PaymentFact & { processedAt: string };

/** TML-8: record a state change once; a later report of the same change keeps the earliest time. Returns whether the timeline changed. */
export async function recordEvent(
  tx: Tx,
  orderId: string,
  kind: OrderEventKind,
  ref: string,
  occurredAt: Date,
  source: string,
): Promise<boolean> {
  const key = { orderId_kind_ref: { orderId, kind, ref } };
  const known = await tx.orderEvent.findUnique({ where: key });
  if (!known) {
    await tx.orderEvent.create({ data: { orderId, kind, ref, occurredAt, source } });
    return true;
  }
  if (occurredAt >= known.occurredAt) return false;
  await tx.orderEvent.update({ where: key, data: { occurredAt, source } });
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

/**
 * Apply one snapshot of an order. Its fields replace the stored ones only if it
 * is newer (Shopify's updated_at); the events it proves are recorded either way.
 * Returns whether anything changed.
 */
export async function applyOrderSnapshot(
  tx: Tx,
  shop: string,
  snap: OrderSnapshot,
  source: string,
  payments: StoredPayment[] | null,
): Promise<boolean> {
  const existing = await tx.order.findUnique({ where: { id: snap.id }, select: { shopifyUpdatedAt: true } });
  const fields = {
    shop,
    name: snap.name,
    customerId: snap.customerId,
    email: snap.email,
    processedAt: snap.processedAt,
    cancelledAt: snap.cancelledAt,
    shopifyUpdatedAt: snap.updatedAt,
    financialStatus: snap.financialStatus,
    fulfillmentStatus: snap.fulfillmentStatus,
    currency: snap.currency,
    subtotalCents: snap.subtotalCents,
    shippingCents: snap.shippingCents,
    totalCents: snap.totalCents,
    ...(payments ? { payments: payments as unknown as object } : {}),
  };
  const newer = !existing || snap.updatedAt > existing.shopifyUpdatedAt;
  let changed = newer || Boolean(payments);
  if (!existing) await tx.order.create({ data: { id: snap.id, ...fields } });
  else if (newer) await tx.order.update({ where: { id: snap.id }, data: fields });
  else if (payments)
    await tx.order.update({ where: { id: snap.id }, data: { payments: payments as unknown as object } });
  if (newer) {
    await tx.orderLine.deleteMany({ where: { orderId: snap.id } });
    if (snap.lines.length)
      await tx.orderLine.createMany({ data: snap.lines.map((line) => ({ ...line, orderId: snap.id })) });
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
  const known = new Map(
    (existing ? await tx.orderEvent.findMany({ where: { orderId: snap.id } }) : []).map((e) => [
      `${e.kind}|${e.ref}`,
      e,
    ]),
  );
  const fresh = proven.filter((p) => !known.has(`${p.kind}|${p.ref}`));
  if (fresh.length) {
    await tx.orderEvent.createMany({
      data: fresh.map((p) => ({ orderId: snap.id, kind: p.kind, ref: p.ref, occurredAt: p.at, source })),
    });
    changed = true;
  }
  for (const p of proven) {
    const event = known.get(`${p.kind}|${p.ref}`);
    if (event && p.at < event.occurredAt) {
      await tx.orderEvent.update({ where: { id: event.id }, data: { occurredAt: p.at, source } });
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

/** The policy's facts about an order, derived from its recorded events (never from arrival order). */
export function factsFromTimeline(order: Pick<Order, "processedAt" | "payments">, events: OrderEvent[]): OrderFacts {
  const payments = (order.payments as unknown as StoredPayment[] | null) ?? [];
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
  };
}

const DERIVED_KINDS = ["processing", "label_voided"] as const;

/** Derived entries follow the facts: added when they hold, removed when later facts say they never happened. */
async function syncDerivedEvents(tx: Tx, orderId: string, events: OrderEvent[], wanted: DerivedEvent[]): Promise<void> {
  let changed = false;
  for (const kind of DERIVED_KINDS) {
    const want = wanted.find((e) => e.kind === kind);
    const have = events.find((e) => e.kind === kind);
    if (want && (!have || have.occurredAt.getTime() !== want.occurredAt.getTime())) {
      await tx.orderEvent.upsert({
        where: { orderId_kind_ref: { orderId, kind, ref: "" } },
        create: { orderId, kind, ref: "", occurredAt: want.occurredAt, source: want.rule },
        update: { occurredAt: want.occurredAt, source: want.rule },
      });
      changed = true;
    } else if (!want && have) {
      await tx.orderEvent.delete({ where: { id: have.id } });
      changed = true;
    }
  }
  if (changed) events.splice(0, events.length, ...(await tx.orderEvent.findMany({ where: { orderId } })));
}

/** Recompute the order's state, deadlines (stored for indexed queries) and alerts, writing only what changed. */
export async function refreshOrder(tx: Tx, orderId: string, settings: PolicySettings, now: Date): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    include: { events: true, deadlines: true, alerts: true },
  });
  const facts = factsFromTimeline(order, order.events);
  await syncDerivedEvents(tx, orderId, order.events, derivedEvents(facts, settings, now));
  const state = orderState(
    order.events.map((e) => ({ kind: e.kind as OrderEventKind, occurredAt: e.occurredAt, ref: e.ref })),
  );
  if (state !== order.state) await tx.order.update({ where: { id: orderId }, data: { state } });

  const deadlines = orderDeadlines(facts, settings);
  const stored = new Map(order.deadlines.map((d) => [d.key, d]));
  const stale = order.deadlines.filter((d) => !deadlines.some((n) => n.key === d.key)).map((d) => d.id);
  if (stale.length) await tx.orderDeadline.deleteMany({ where: { id: { in: stale } } });
  const created = [];
  for (const d of deadlines) {
    const data = { rule: d.rule, dueAt: d.at, projected: d.projected, settled: isSettled(d, facts) };
    const known = stored.get(d.key);
    if (!known) created.push({ orderId, key: d.key, shop: order.shop, ...data });
    else if (
      known.dueAt.getTime() !== data.dueAt.getTime() ||
      known.settled !== data.settled ||
      known.projected !== data.projected ||
      known.rule !== data.rule
    ) {
      // A moved deadline is acted on again when it comes due.
      await tx.orderDeadline.update({
        where: { id: known.id },
        data: { ...data, ...(known.dueAt.getTime() !== data.dueAt.getTime() ? { actedAt: null } : {}) },
      });
    }
  }
  if (created.length) await tx.orderDeadline.createMany({ data: created });

  const alerted = new Set(order.alerts.map((a) => a.kind));
  const fresh = orderAlerts(facts, settings, now).filter((a) => !alerted.has(a.kind));
  if (fresh.length)
    await tx.orderAlert.createMany({
      data: fresh.map((a) => ({ orderId, shop: order.shop, kind: a.kind, rule: a.rule, since: a.since })),
    });
}

/**
 * INV-3: an order whose one-of-a-kind variant was already on an earlier, live
 * order is flagged as an oversell (the first completed checkout wins).
 */
export async function flagOversold(
  tx: Tx,
  shop: string,
  snap: OrderSnapshot,
  settings: PolicySettings,
): Promise<boolean> {
  let variantIds = snap.lines.map((l) => l.variantId).filter((id): id is string => Boolean(id));
  if (settings.inventory.oneOfAKind.scope === "tagged") {
    const tag = settings.inventory.oneOfAKind.tag;
    const known = await tx.variantInventory.findMany({
      where: { id: { in: variantIds } },
      select: { id: true, productTags: true },
    });
    variantIds = known
      .filter((v) => isOneOfAKind(JSON.parse(v.productTags) as string[], settings.inventory))
      .map((v) => v.id);
    if (!tag) return false;
  }
  if (!variantIds.length || snap.cancelledAt) return false;
  const earlier = await tx.orderLine.findFirst({
    where: {
      variantId: { in: variantIds },
      orderId: { not: snap.id },
      order: { shop, cancelledAt: null, processedAt: { lt: snap.processedAt } },
    },
    select: { orderId: true },
  });
  if (!earlier) return false;
  await tx.orderAlert.upsert({
    where: { orderId_kind: { orderId: snap.id, kind: "oversold" } },
    create: { orderId: snap.id, shop, kind: "oversold", rule: "INV-3", since: snap.processedAt },
    update: {},
  });
  return true;
}
