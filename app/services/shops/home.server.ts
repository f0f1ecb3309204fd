import type { PrismaClient } from "@prisma/client";
import { POLICY_HOME_QUERY } from "./home-documents";
import {
  cardOnlyDecision,
  deadlineLabel,
  paymentMethodsUsed,
  policySummary,
  type AlertKind,
  type DeadlineKey,
  type PaymentMethodKind,
  type PolicySettings,
} from "../../policy";
import { waitingOutThrottles } from "../shopify/admin-gateway.server";
import { dueSoon, openAlerts } from "../orders/deadline-store.server";
import type { StoredPayment } from "../orders/order-timeline.server";

interface AdminGraphQL {
  graphql(query: string): Promise<Response>;
}

interface HomeData {
  shop: { name: string; myshopifyDomain: string; ianaTimezone: string; currencyCode: string };
  orders: {
    nodes: Array<{
      id: string;
      name: string;
      processedAt: string;
      cancelledAt: string | null;
      displayFinancialStatus: string;
      displayFulfillmentStatus: string;
      customer: { displayName: string } | null;
      totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
    }>;
  };
}

const METHOD_LABELS: Record<PaymentMethodKind, string> = {
  card: "Card",
  paypal: "PayPal",
  installments: "Installments",
  gift_card: "Gift card",
  store_credit: "Store credit",
  manual: "Manual",
  cash_on_delivery: "Payment on delivery",
  other: "Other",
};

// Typed so that a new alert kind cannot reach the page without its label.
const ALERT_LABELS: Record<AlertKind | "oversold" | "fulfillment_flagged", string> = {
  late_to_ship: "Late to ship",
  not_received: "Not received: the customer may contact us",
  claim_deadline_near: "File the carrier claim before its deadline",
  payment_on_delivery_overdue: "Payment on delivery overdue: return and cancel",
  oversold: "Oversold: this one-of-a-kind item was already sold on an earlier order",
  fulfillment_flagged: "Parcel sent against the carrier or signature rule",
  free_shipping_below_threshold:
    "Shipped free although the subtotal after discounts is below the free-shipping threshold",
  free_shipping_withheld: "Charged shipping although the subtotal after discounts ships free: refund the shipping",
};

export class AdminApiError extends Error {
  override name = "AdminApiError";
}

const formatter = (settings: PolicySettings) =>
  new Intl.DateTimeFormat("en-US", { timeZone: settings.calendar.timeZone, dateStyle: "medium", timeStyle: "short" });

/** What the worker stored from webhooks: deadlines due in the next 24 hours and open alerts. */
/** Watches to adjust before they ship: live, unshipped orders with a line that carries a wrist size. */
function bandAdjustments(db: PrismaClient, shop: string, limit = 20) {
  return db.orderLine.findMany({
    where: { wristSize: { not: null }, order: { shop, cancelledAt: null, events: { none: { kind: "shipped" } } } },
    orderBy: { order: { processedAt: "asc" } },
    take: limit,
    select: { id: true, title: true, wristSize: true, order: { select: { name: true } } },
  });
}

export async function loadAttention(db: PrismaClient, shop: string, settings: PolicySettings, now: Date) {
  const format = formatter(settings);
  const [due, alerts, bands] = await Promise.all([
    dueSoon(db, shop, now),
    openAlerts(db, shop),
    bandAdjustments(db, shop),
  ]);
  // SHP-4: what the fulfillment audit found, beside its alert.
  const flagged = alerts.some((a) => a.kind === "fulfillment_flagged")
    ? await db.orderEvent.findMany({
        where: { kind: "fulfillment_flagged", orderId: { in: alerts.map((a) => a.orderId) } },
        select: { orderId: true, source: true },
      })
    : [];
  const found = (orderId: string) =>
    flagged
      .filter((e) => e.orderId === orderId)
      .map((e) => e.source.replace(/^SHP-4: /, ""))
      .join(" ");
  return {
    bandAdjustments: bands.map((line) => ({
      id: line.id,
      order: line.order.name,
      item: line.title,
      wristSize: line.wristSize!,
    })),
    dueSoon: due.map((d) => ({
      id: d.id,
      order: d.order.name,
      rule: d.rule,
      label: deadlineLabel(d.key as DeadlineKey),
      at: format.format(d.dueAt),
    })),
    alerts: alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      orderNumber: a.orderId.split("/").pop()!,
      order: a.order.name,
      rule: a.rule,
      label: `${ALERT_LABELS[a.kind as keyof typeof ALERT_LABELS] ?? a.kind}${a.kind === "fulfillment_flagged" ? `: ${found(a.orderId)}` : ""}`,
      since: format.format(a.since),
    })),
  };
}

/**
 * The home page: the shop and its latest orders from the Admin API (a cheap
 * query), with each order's payment status (RET-3) and next deadline from the
 * timeline the worker stored, and the rule table.
 */
export async function loadHome(admin: AdminGraphQL, db: PrismaClient, settings: PolicySettings, now: Date) {
  const response = await waitingOutThrottles(() => admin.graphql(POLICY_HOME_QUERY));
  const body = (await response.json()) as { data?: HomeData; errors?: Array<{ message: string }> };
  if (!body.data)
    throw new AdminApiError(body.errors?.map((e) => e.message).join("; ") ?? "The Admin API returned no data");
  const { shop, orders } = body.data;
  const format = formatter(settings);
  const stored = await db.order.findMany({
    where: { id: { in: orders.nodes.map((o) => o.id) } },
    select: {
      id: true,
      payments: true,
      deadlines: { where: { settled: false, dueAt: { gt: now } }, orderBy: { dueAt: "asc" }, take: 1 },
    },
  });
  const byId = new Map(stored.map((o) => [o.id, o]));
  return {
    shop,
    timeZone: settings.calendar.timeZone,
    rules: policySummary(settings),
    orders: orders.nodes.map((order) => {
      const known = byId.get(order.id);
      const payments = (known?.payments as unknown as StoredPayment[] | null) ?? null;
      const card = payments ? cardOnlyDecision(payments) : null;
      const methods = payments ? [...paymentMethodsUsed(payments)].map((m) => METHOD_LABELS[m]) : [];
      const next = known?.deadlines[0];
      return {
        id: order.id,
        name: order.name,
        /** The order page in the app (its timeline picture), by Shopify's numeric id. */
        url: `/app/orders/${order.id.split("/").pop()}`,
        placedAt: format.format(new Date(order.processedAt)),
        customer: order.customer?.displayName ?? "Guest",
        total: `${order.totalPriceSet.shopMoney.amount} ${order.totalPriceSet.shopMoney.currencyCode}`,
        status: order.cancelledAt ? "CANCELLED" : `${order.displayFinancialStatus} · ${order.displayFulfillmentStatus}`,
        returnable: card?.allowed ?? false,
        payment: !card ? "Not synced yet" : methods.length ? methods.join(" + ") : "Unpaid",
        paymentNote: card?.message ?? "The order's timeline is being built from Shopify's webhooks.",
        nextDeadline: next
          ? { rule: next.rule, label: deadlineLabel(next.key as DeadlineKey), at: format.format(next.dueAt) }
          : null,
      };
    }),
  };
}
