import type { PrismaClient } from "@prisma/client";
import {
  cancellationDecision,
  deadlineLabel,
  lineReturnEligibility,
  money,
  orderTimeline,
  type AlertKind,
  type Decision,
  type DeadlineKey,
  type OrderEventKind,
  type PolicySettings,
  type RuleId,
} from "../../policy";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { ORDER_PAYMENTS_QUERY } from "./order-documents";
import { factsFromTimeline, type StoredPayment } from "./order-timeline.server";

/** One order's policy as the order-details block in Shopify's admin shows it; times already in the shop's zone. */
export interface OrderPolicyView {
  order: { id: string; name: string; state: string | null };
  timeline: Array<{ kind: string; label: string; at: string; atText: string }>;
  /** Deadlines still open: the overdue ones first, then the next ones, soonest first. */
  deadlines: Array<{
    key: string;
    rule: string;
    label: string;
    at: string;
    atText: string;
    overdue: boolean;
    projected: boolean;
  }>;
  alerts: Array<{ kind: string; rule: string; label: string; sinceText: string }>;
  lines: Array<{
    id: string;
    title: string;
    quantity: number;
    returnable: boolean;
    /** What decides the line's return: every blocking rule, or the rule that allows it. */
    verdicts: Array<Pick<Decision, "rule" | "code" | "message">>;
    windowEndsText: string | null;
  }>;
  cancellation: { allowed: boolean; rule: RuleId; message: string; windowEndsText: string };
}

export type OrderPolicyResult =
  { status: "ready"; view: OrderPolicyView } | { status: "pending" } | { status: "not_found" };

const ALERTS: Record<AlertKind | "oversold", string> = {
  late_to_ship: "Late to ship",
  not_received: "Not received yet: the customer may get in touch",
  claim_deadline_near: "Carrier claim due soon",
  payment_on_delivery_overdue: "Payment on delivery overdue",
  oversold: "Oversold one-of-a-kind item",
  free_shipping_below_threshold: "Shipped free below the threshold",
  free_shipping_withheld: "Shipping charged above the threshold",
};

const eventLabel = (kind: string) => kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, " ");

/** The numeric id in an admin URL, or a gid: as the Admin API names an order. */
export function orderGid(id: string): string | null {
  if (/^\d{1,20}$/.test(id)) return `gid://shopify/Order/${id}`;
  return /^gid:\/\/shopify\/Order\/\d{1,20}$/.test(id) ? id : null;
}

/** Returns that count against what is left to return (not declined or cancelled). */
const LIVE_RETURN = (status: string) => !["declined", "canceled", "cancelled"].includes(status.toLowerCase());

/**
 * The policy view of one of the shop's orders. An order the app has not recorded yet is
 * "pending" only if Shopify confirms it belongs to this shop; otherwise it is not found.
 */
export async function orderPolicyView(
  db: PrismaClient,
  gateway: AdminGateway,
  shop: string,
  orderId: string,
  settings: PolicySettings,
  now: Date,
): Promise<OrderPolicyResult> {
  const order = await db.order.findFirst({
    where: { id: orderId, shop },
    include: {
      lines: true,
      events: true,
      deadlines: true,
      alerts: true,
      returns: { select: { status: true, lines: { select: { orderLineId: true, quantity: true } } } },
    },
  });
  if (!order) {
    const found = await gateway.request<{ order: { id: string } | null }>(ORDER_PAYMENTS_QUERY, { id: orderId });
    return found.order ? { status: "pending" } : { status: "not_found" };
  }
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: settings.calendar.timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  const text = (date: Date) => format.format(date);
  const facts = factsFromTimeline(order, order.events);
  const payments = (order.payments as unknown as StoredPayment[] | null) ?? [];
  const returned = new Map<string, number>();
  for (const r of order.returns.filter((r) => LIVE_RETURN(r.status)))
    for (const line of r.lines) returned.set(line.orderLineId, (returned.get(line.orderLineId) ?? 0) + line.quantity);

  const timeline = orderTimeline(
    order.events.map((e) => ({ kind: e.kind as OrderEventKind, occurredAt: e.occurredAt, ref: e.ref })),
  ).map((e) => ({
    kind: e.kind,
    label: eventLabel(e.kind),
    at: e.occurredAt.toISOString(),
    atText: text(e.occurredAt),
  }));

  const deadlines = order.deadlines
    .filter((d) => !d.settled)
    .map((d) => ({
      key: d.key,
      rule: d.rule,
      label: deadlineLabel(d.key as DeadlineKey),
      at: d.dueAt.toISOString(),
      atText: text(d.dueAt),
      overdue: d.dueAt.getTime() <= now.getTime(),
      projected: d.projected,
    }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.at.localeCompare(b.at));

  const lines = order.lines.map((line) => {
    const eligibility = lineReturnEligibility(
      {
        deliveredAt: facts.deliveredAt,
        customerHasAccount: Boolean(order.customerId),
        cancelled: Boolean(order.cancelledAt),
        payments,
      },
      {
        lineId: line.id,
        unitPrice: money(line.unitPriceCents, order.currency),
        compareAtPrice: line.compareAtCents === null ? null : money(line.compareAtCents, order.currency),
        productTags: line.productTags ? (JSON.parse(line.productTags) as string[]) : [],
        returnableQuantity: line.quantity - (returned.get(line.id) ?? 0),
      },
      { requestedAt: now, reason: "change_of_mind", resolution: "refund" },
      settings,
    );
    return {
      id: line.id,
      title: line.title,
      quantity: line.quantity,
      returnable: eligibility.eligible,
      verdicts: eligibility.decisions.map(({ rule, code, message }) => ({ rule, code, message })),
      windowEndsText: eligibility.windowEndsAt ? text(eligibility.windowEndsAt) : null,
    };
  });

  const cancel = cancellationDecision(
    {
      confirmedAt: order.processedAt,
      requestedAt: now,
      anyItemFulfilled: Boolean(facts.shippedAt),
      alreadyCancelled: Boolean(order.cancelledAt),
    },
    settings,
  );
  return {
    status: "ready",
    view: {
      order: { id: order.id, name: order.name, state: order.state },
      timeline,
      deadlines,
      alerts: order.alerts.map((a) => ({
        kind: a.kind,
        rule: a.rule,
        label: ALERTS[a.kind as keyof typeof ALERTS] ?? eventLabel(a.kind),
        sinceText: text(a.since),
      })),
      lines,
      cancellation: {
        allowed: cancel.allowed,
        rule: cancel.rule,
        message: cancel.message,
        windowEndsText: text(cancel.windowEndsAt),
      },
    },
  };
}
