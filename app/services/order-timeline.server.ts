import type { Order, OrderEvent } from "@prisma/client";
import {
  awaitsPaymentOnDelivery,
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

/** TML-8: record a state change once; a later report of the same change keeps the earliest time. */
export async function recordEvent(
  tx: Tx,
  orderId: string,
  kind: OrderEventKind,
  ref: string,
  occurredAt: Date,
  source: string,
): Promise<void> {
  const key = { orderId_kind_ref: { orderId, kind, ref } };
  const known = await tx.orderEvent.findUnique({ where: key });
  if (!known) await tx.orderEvent.create({ data: { orderId, kind, ref, occurredAt, source } });
  else if (occurredAt < known.occurredAt) await tx.orderEvent.update({ where: key, data: { occurredAt, source } });
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
 * is at least as new (Shopify's updated_at); the events it proves are recorded either way.
 */
export async function applyOrderSnapshot(
  tx: Tx,
  shop: string,
  snap: OrderSnapshot,
  source: string,
  payments: StoredPayment[] | null,
): Promise<void> {
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
  if (!existing) {
    await tx.order.create({ data: { id: snap.id, ...fields } });
  } else if (snap.updatedAt >= existing.shopifyUpdatedAt) {
    await tx.order.update({ where: { id: snap.id }, data: fields });
  } else if (payments) {
    await tx.order.update({ where: { id: snap.id }, data: { payments: payments as unknown as object } });
  }
  if (!existing || snap.updatedAt >= existing.shopifyUpdatedAt) {
    await tx.orderLine.deleteMany({ where: { orderId: snap.id } });
    if (snap.lines.length)
      await tx.orderLine.createMany({ data: snap.lines.map((line) => ({ ...line, orderId: snap.id })) });
  }

  await recordEvent(tx, snap.id, "placed", "", snap.processedAt, source);
  const paid = payments ? paidAt(payments) : null;
  if (paid && snap.financialStatus && PAID_STATUSES.has(snap.financialStatus))
    await recordEvent(tx, snap.id, "paid", "", paid, source);
  if (snap.cancelledAt) await recordEvent(tx, snap.id, "cancelled", "", snap.cancelledAt, source);
  for (const f of snap.fulfillments) {
    await recordEvent(tx, snap.id, "shipped", f.id, f.createdAt, source);
    if (f.deliveredAt) await recordEvent(tx, snap.id, "delivered", f.id, f.deliveredAt, source);
  }
  for (const r of snap.refunds) await recordEvent(tx, snap.id, "refunded", r.id, r.createdAt, source);
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
    wrongItemReportedAt: null,
    refundedAt: latest(events, "refunded"),
  };
}

/** Recompute the order's state, deadlines (stored for indexed queries) and alerts. */
export async function refreshOrder(tx: Tx, orderId: string, settings: PolicySettings, now: Date): Promise<void> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { events: true } });
  const facts = factsFromTimeline(order, order.events);
  const state = orderState(
    order.events.map((e) => ({ kind: e.kind as OrderEventKind, occurredAt: e.occurredAt, ref: e.ref })),
  );
  if (state !== order.state) await tx.order.update({ where: { id: orderId }, data: { state } });

  const deadlines = orderDeadlines(facts, settings);
  await tx.orderDeadline.deleteMany({ where: { orderId, key: { notIn: deadlines.map((d) => d.key) } } });
  for (const d of deadlines) {
    const data = { rule: d.rule, dueAt: d.at, projected: d.projected, settled: isSettled(d, facts), shop: order.shop };
    await tx.orderDeadline.upsert({
      where: { orderId_key: { orderId, key: d.key } },
      create: { orderId, key: d.key, ...data },
      update: data,
    });
  }
  for (const alert of orderAlerts(facts, settings, now)) {
    await tx.orderAlert.upsert({
      where: { orderId_kind: { orderId, kind: alert.kind } },
      create: { orderId, shop: order.shop, kind: alert.kind, rule: alert.rule, since: alert.since },
      update: { since: alert.since },
    });
  }
}
