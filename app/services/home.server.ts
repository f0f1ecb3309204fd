import { POLICY_HOME_QUERY } from "../graphql/home";
import {
  cardOnlyDecision,
  deadlineLabel,
  upcomingDeadlines,
  paymentMethodsUsed,
  policySummary,
  type PaymentMethodKind,
  type PolicySettings,
} from "../policy";
import { orderFacts, paymentFacts, type AdminOrder } from "./order-facts.server";

interface AdminGraphQL {
  graphql(query: string): Promise<Response>;
}

interface HomeData {
  shop: { name: string; myshopifyDomain: string; ianaTimezone: string; currencyCode: string };
  orders: {
    nodes: Array<
      AdminOrder & {
        id: string;
        name: string;
        displayFinancialStatus: string;
        displayFulfillmentStatus: string;
        customer: { displayName: string } | null;
        totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
      }
    >;
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

export class AdminApiError extends Error {
  override name = "AdminApiError";
}

/** The home page: the shop, its latest orders with their next policy deadline, and the rule table. */
export async function loadHome(admin: AdminGraphQL, settings: PolicySettings, now: Date) {
  const response = await admin.graphql(POLICY_HOME_QUERY);
  const body = (await response.json()) as { data?: HomeData; errors?: Array<{ message: string }> };
  if (!body.data)
    throw new AdminApiError(body.errors?.map((e) => e.message).join("; ") ?? "The Admin API returned no data");
  const { shop, orders } = body.data;
  const zone = settings.calendar.timeZone;
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, dateStyle: "medium", timeStyle: "short" });
  return {
    shop,
    timeZone: zone,
    rules: policySummary(settings),
    orders: orders.nodes.map((order) => {
      const [next] = upcomingDeadlines(orderFacts(order), settings, now);
      const payments = paymentFacts(order.transactions);
      const card = cardOnlyDecision(payments);
      const methods = [...paymentMethodsUsed(payments)].map((m) => METHOD_LABELS[m]);
      return {
        id: order.id,
        name: order.name,
        placedAt: format.format(new Date(order.processedAt)),
        customer: order.customer?.displayName ?? "Guest",
        total: `${order.totalPriceSet.shopMoney.amount} ${order.totalPriceSet.shopMoney.currencyCode}`,
        status: order.cancelledAt ? "CANCELLED" : `${order.displayFinancialStatus} · ${order.displayFulfillmentStatus}`,
        returnable: card.allowed,
        payment: methods.length ? methods.join(" + ") : "Unpaid",
        paymentNote: card.message,
        nextDeadline: next ? { rule: next.rule, label: deadlineLabel(next.key), at: format.format(next.at) } : null,
      };
    }),
  };
}
