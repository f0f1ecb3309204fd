import type { IssueLabel } from "./approve-return.server";
import type { Order, OrderEvent, OrderLine, PrismaClient, Return, ReturnLabel, ReturnLine } from "@prisma/client";
import prisma from "../../db.server";
import {
  money,
  parseDecimal,
  parseSettings,
  presetSettings,
  type Money,
  type OrderShippingFacts,
  type PaymentFact,
  type PolicySettings,
} from "../../policy";
import { orderReceivedFreeShipping } from "../../policy/return-dates";
import { storedPayments, type AdminTransaction } from "../orders/order-facts.server";
import type { StoredPayment } from "../orders/order-timeline.server";
import { AdminGatewayError, gatewayFor, type AdminGateway } from "../shopify/admin-gateway.server";
import { notFound, PortalError } from "./portal-errors";
import { ORDER_RETURN_FACTS_QUERY } from "./returns-documents";

/** What the portal's use cases reach: the database and the shop's Admin API (tests pass their own). */
export interface PortalDeps {
  db?: PrismaClient;
  gateway?: (shop: string) => Promise<AdminGateway>;
  /** The carrier label service when one is configured: an auto-approved return gets its label at once. */
  issueLabel?: IssueLabel;
}

export const portalDb = (deps: PortalDeps) => deps.db ?? prisma;
/** A shopper waits: Admin API calls of the portal give up sooner than background work's. */
export const portalGateway = (shop: string, deps: PortalDeps) =>
  deps.gateway ? deps.gateway(shop) : gatewayFor(shop, { timeoutMs: 10_000, budgetMs: 20_000 });

export type StoredReturn = Return & { lines: ReturnLine[]; labels: ReturnLabel[] };
export type StoredOrder = Order & { lines: OrderLine[]; events: OrderEvent[]; returns: StoredReturn[] };

export interface ReturnLineFact {
  lineId: string;
  title: string;
  quantity: number;
  unitPrice: Money;
  unitTax: Money;
  compareAtPrice: Money | null;
  productTags: string[];
}

/** The facts the return rules read, from what the app keeps of one order. */
export interface OrderReturnFacts {
  shop: string;
  order: StoredOrder;
  settings: PolicySettings;
  deliveredAt: Date | null;
  shippedAt: Date | null;
  cancelledAt: Date | null;
  payments: PaymentFact[];
  freeShipping: boolean;
  lines: ReturnLineFact[];
  /** Whether the Admin API was asked for missing facts while loading. */
  fetched: boolean;
}

/** A stored return that still holds its units: declined and cancelled ones give them back. */
export const holdsUnits = (ret: Pick<Return, "status">) => !["declined", "cancelled"].includes(ret.status);

export async function shopPolicy(db: PrismaClient, shop: string): Promise<PolicySettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true, uninstalledAt: true } });
  if (!row || row.uninstalledAt) throw notFound();
  return row.settings ? parseSettings(row.settings) : presetSettings();
}

/** The order if it is this customer's order of this shop; otherwise NOT_FOUND, whoever's it is. */
export async function loadCustomerOrder(
  db: PrismaClient,
  shop: string,
  customerId: string,
  orderId: string,
): Promise<StoredOrder> {
  if (!customerId || !orderId) throw notFound();
  const order = await db.order.findFirst({
    where: { id: orderId, shop, customerId },
    include: { lines: true, events: true, returns: { include: { lines: true, labels: true } } },
  });
  if (!order) throw notFound();
  return order;
}

const earliest = (events: OrderEvent[], kind: string) =>
  events
    .filter((e) => e.kind === kind)
    .map((e) => e.occurredAt)
    .sort((a, b) => +a - +b)[0] ?? null;

const needsFacts = (order: StoredOrder) =>
  order.payments === null ||
  order.lines.some((l) => l.compareAtCents === null || l.productTags === null || l.taxCents === null);

interface AdminReturnFacts {
  order: {
    lineItems: {
      nodes: Array<{
        id: string;
        variant: { compareAtPrice: string | null } | null;
        product: { tags: string[] } | null;
        taxLines: Array<{ priceSet: { shopMoney: { amount: string } } }>;
      }>;
    };
    transactions: Array<AdminTransaction & { processedAt: string }>;
  } | null;
}

/** A missing fact is fetched through the Admin API and kept, never guessed. */
async function fetchMissingFacts(shop: string, order: StoredOrder, deps: PortalDeps): Promise<void> {
  const db = portalDb(deps);
  let answer: AdminReturnFacts;
  try {
    const gateway = await portalGateway(shop, deps);
    answer = await gateway.request<AdminReturnFacts>(ORDER_RETURN_FACTS_QUERY, { id: order.id });
  } catch (error) {
    throw unavailable(error);
  }
  if (!answer.order) throw notFound();
  const cents = (amount: string | null | undefined) =>
    amount == null ? 0 : parseDecimal(amount, order.currency).amount;
  const payments: StoredPayment[] = storedPayments(answer.order.transactions);
  await db.$transaction(async (tx) => {
    for (const node of answer.order!.lineItems.nodes) {
      const line = order.lines.find((l) => l.id === node.id);
      if (!line) continue;
      const data = {
        compareAtCents: line.compareAtCents ?? cents(node.variant?.compareAtPrice),
        productTags: line.productTags ?? (node.product?.tags ?? []).join(","),
        taxCents: line.taxCents ?? node.taxLines.reduce((sum, t) => sum + cents(t.priceSet.shopMoney.amount), 0),
      };
      Object.assign(line, data);
      await tx.orderLine.update({ where: { id: line.id }, data });
    }
    if (order.payments === null) {
      await tx.order.update({ where: { id: order.id }, data: { payments: payments as unknown as object } });
      order.payments = payments as unknown as Order["payments"];
    }
  });
}

/** Shopify could not be asked or failed: nothing was changed, and trying again is safe. Other errors pass. */
export function unavailable(error: unknown): unknown {
  if (!(error instanceof AdminGatewayError)) return error;
  return new PortalError(
    "SHOPIFY_UNAVAILABLE",
    "We could not reach the store just now, and nothing was changed. Please try again in a minute.",
  );
}

/** The facts of one of this customer's orders, fetching through the Admin API only what is not known yet. */
export async function loadReturnFacts(
  shop: string,
  customerId: string,
  orderId: string,
  deps: PortalDeps = {},
): Promise<OrderReturnFacts> {
  const db = portalDb(deps);
  const [settings, order] = await Promise.all([shopPolicy(db, shop), loadCustomerOrder(db, shop, customerId, orderId)]);
  return ensureFacts(shop, order, settings, deps);
}

/** The order's facts, the missing ones fetched through the Admin API first. */
export async function ensureFacts(
  shop: string,
  order: StoredOrder,
  settings: PolicySettings,
  deps: PortalDeps = {},
): Promise<OrderReturnFacts> {
  const fetched = needsFacts(order);
  if (fetched) await fetchMissingFacts(shop, order, deps);
  return factsOf(shop, order, settings, fetched);
}

export function factsOf(shop: string, order: StoredOrder, settings: PolicySettings, fetched = false): OrderReturnFacts {
  const currency = order.currency;
  const payments = ((order.payments as unknown as StoredPayment[] | null) ?? []).map((p) => ({
    ...p,
    amount: money(p.amount.amount, p.amount.currency),
  }));
  return {
    shop,
    order,
    settings,
    deliveredAt: earliest(order.events, "delivered"),
    shippedAt: earliest(order.events, "shipped"),
    cancelledAt: order.cancelledAt ?? earliest(order.events, "cancelled"),
    payments,
    freeShipping: orderReceivedFreeShipping(
      order.shippingFacts as unknown as OrderShippingFacts | null,
      order.shippingCents,
    ),
    lines: order.lines.map((line) => ({
      lineId: line.id,
      title: line.title,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceCents, currency),
      unitTax: money(line.quantity ? Math.round((line.taxCents ?? 0) / line.quantity) : 0, currency),
      compareAtPrice: line.compareAtCents ? money(line.compareAtCents, currency) : null,
      productTags: (line.productTags ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    })),
    fetched,
  };
}
