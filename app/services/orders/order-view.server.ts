import type { PrismaClient } from "@prisma/client";
import { deadlineLabel, isSettled, orderDeadlines, type PolicySettings } from "../../policy";
import { timelinePicture } from "../../policy/timeline-picture";
import { factsFromTimeline } from "./order-timeline.server";

export class OrderNotFoundError extends Error {
  override name = "OrderNotFoundError";
  readonly code = "NOT_FOUND";
}

const EVENT_LABELS: Record<string, string> = {
  placed: "Placed",
  paid: "Paid",
  processing: "Processing started",
  shipped: "Shipped",
  delivered: "Delivered",
  return_requested: "Return requested",
  label_issued: "Return label issued",
  label_voided: "Return label voided",
  return_shipped: "Return shipped",
  return_received: "Return received",
  refunded: "Refunded",
  cancelled: "Cancelled",
};

const eventLabel = (kind: string) =>
  EVENT_LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, " ");

/** An order id from the page's URL: Shopify's numeric id, as in the admin's own order URLs. */
export function orderGid(id: string): string | null {
  return /^\d{1,20}$/.test(id) ? `gid://shopify/Order/${id}` : null;
}

/**
 * One order's timeline for the order page: its events, every deadline the
 * policy computes from its facts (settled or not, overdue when passed without
 * its event), open alerts, and the picture's layout. Only an order of `shop`:
 * any other is not found, whether it exists elsewhere or not.
 */
export async function loadOrderView(
  db: PrismaClient,
  shop: string,
  orderId: string,
  settings: PolicySettings,
  now: Date,
) {
  const order = await db.order.findFirst({
    where: { id: orderId, shop },
    include: { events: { orderBy: { occurredAt: "asc" } }, alerts: { orderBy: { since: "asc" } } },
  });
  if (!order) throw new OrderNotFoundError(`This shop has no order ${orderId}.`);
  const facts = factsFromTimeline(order, order.events);
  const zone = settings.calendar.timeZone;
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, dateStyle: "medium", timeStyle: "short" });
  const deadlines = orderDeadlines(facts, settings).map((d) => {
    const settled = isSettled(d, facts);
    return {
      key: d.key,
      rule: d.rule,
      label: deadlineLabel(d.key),
      at: d.at,
      settled,
      projected: d.projected,
      overdue: !settled && d.at.getTime() < now.getTime(),
    };
  });
  const events = order.events.map((e) => ({
    kind: e.kind,
    label: eventLabel(e.kind),
    at: e.occurredAt,
    source: e.source,
  }));
  return {
    order: { id: order.id, name: order.name, state: order.state, cancelled: order.cancelledAt !== null },
    timeZone: zone,
    events: events.map((e) => ({ ...e, at: format.format(e.at) })),
    deadlines: deadlines.map((d) => ({ ...d, at: format.format(d.at) })),
    alerts: order.alerts.map((a) => ({ kind: a.kind, rule: a.rule, since: format.format(a.since) })),
    picture: timelinePicture({ placedAt: order.processedAt, events, deadlines, now, calendar: settings.calendar }),
  };
}

export type OrderView = Awaited<ReturnType<typeof loadOrderView>>;
