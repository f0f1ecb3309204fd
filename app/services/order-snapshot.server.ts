import { parseDecimal, WRIST_SIZE_ATTRIBUTE } from "../policy";

/** One order as the timeline needs it, from a webhook payload or an Admin API node. */
export interface OrderSnapshot {
  id: string;
  name: string;
  customerId: string | null;
  email: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  updatedAt: Date;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  currency: string;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
  lines: Array<{
    id: string;
    variantId: string | null;
    productId: string | null;
    title: string;
    quantity: number;
    unitPriceCents: number;
    /** Band adjustment: the wrist size the shopper gave at checkout. */
    wristSize: string | null;
  }>;
  /** deliveredAt: the carrier's delivered time when known; a webhook snapshot only knows when Shopify recorded it. */
  fulfillments: Array<{ id: string; createdAt: Date; deliveredAt: Date | null }>;
  refunds: Array<{ id: string; createdAt: Date }>;
}

export class PayloadError extends Error {
  override name = "PayloadError";
}

const gid = (type: string, id: unknown) =>
  id === null || id === undefined ? null : `gid://shopify/${type}/${String(id)}`;
const date = (value: unknown, field: string): Date => {
  const parsed = typeof value === "string" ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw new PayloadError(`${field} is not a timestamp: ${JSON.stringify(value)}`);
  return parsed;
};
const optionalDate = (value: unknown, field: string) => (value == null ? null : date(value, field));

// Shopify JSON: each field is checked (or converted) where it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rest = Record<string, any>;

/** Shopify's REST order payload (orders/*). Ids come from admin_graphql_api_id: REST ids can exceed 2^53. */
export function snapshotFromWebhook(payload: Rest): OrderSnapshot {
  const id = payload.admin_graphql_api_id;
  if (typeof id !== "string" || !id.startsWith("gid://shopify/Order/"))
    throw new PayloadError("order payload has no admin_graphql_api_id");
  const currency = String(payload.currency ?? "USD");
  const money = (value: unknown) => parseDecimal(String(value ?? "0"), currency).amount;
  const shipping = (payload.shipping_lines ?? []).reduce(
    (sum: number, line: Rest) => sum + money(line.discounted_price ?? line.price),
    0,
  );
  return {
    id,
    name: String(payload.name),
    customerId: payload.customer?.admin_graphql_api_id ?? gid("Customer", payload.customer?.id),
    email: payload.email ?? payload.customer?.email ?? null,
    processedAt: date(payload.processed_at ?? payload.created_at, "processed_at"),
    cancelledAt: optionalDate(payload.cancelled_at, "cancelled_at"),
    updatedAt: date(payload.updated_at, "updated_at"),
    financialStatus: payload.financial_status ?? null,
    fulfillmentStatus: payload.fulfillment_status ?? null,
    currency,
    subtotalCents: money(payload.current_subtotal_price ?? payload.subtotal_price),
    shippingCents: shipping,
    totalCents: money(payload.total_price),
    lines: (payload.line_items ?? []).map((line: Rest) => ({
      id: line.admin_graphql_api_id ?? gid("LineItem", line.id),
      variantId: gid("ProductVariant", line.variant_id),
      productId: gid("Product", line.product_id),
      title: String(line.title ?? line.name ?? ""),
      quantity: Number(line.quantity ?? 0),
      unitPriceCents: money(line.price),
      wristSize: attribute(line.properties, "name", WRIST_SIZE_ATTRIBUTE),
    })),
    fulfillments: (payload.fulfillments ?? []).map((f: Rest) => ({
      id: f.admin_graphql_api_id ?? gid("Fulfillment", f.id),
      createdAt: date(f.created_at, "fulfillments.created_at"),
      deliveredAt:
        f.shipment_status === "delivered" ? date(f.updated_at ?? f.created_at, "fulfillments.updated_at") : null,
    })),
    refunds: (payload.refunds ?? []).map((r: Rest) => ({
      id: r.admin_graphql_api_id ?? gid("Refund", r.id),
      createdAt: date(r.created_at, "refunds.created_at"),
    })),
  };
}

/** A line attribute's value: webhooks send `properties` ({name, value}), the Admin API `customAttributes` ({key, value}). */
function attribute(attributes: unknown, nameField: "name" | "key", name: string): string | null {
  if (!Array.isArray(attributes)) return null;
  const found = attributes.find((a: Rest) => a?.[nameField] === name);
  return typeof found?.value === "string" && found.value.trim() ? found.value.trim() : null;
}

/** The same snapshot from the Admin API (reconciliation), selected by RECONCILE_ORDERS_QUERY. */
export function snapshotFromAdmin(node: Rest): OrderSnapshot {
  const currency = node.currencyCode;
  const money = (set: Rest | null | undefined) => (set ? parseDecimal(set.shopMoney.amount, currency).amount : 0);
  return {
    id: node.id,
    name: node.name,
    customerId: node.customer?.id ?? null,
    email: node.email ?? null,
    processedAt: date(node.processedAt, "processedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "cancelledAt"),
    updatedAt: date(node.updatedAt, "updatedAt"),
    financialStatus: node.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus:
      node.displayFulfillmentStatus === "FULFILLED"
        ? "fulfilled"
        : node.displayFulfillmentStatus === "PARTIALLY_FULFILLED"
          ? "partial"
          : null,
    currency,
    subtotalCents: money(node.currentSubtotalPriceSet),
    shippingCents: money(node.totalShippingPriceSet),
    totalCents: money(node.totalPriceSet),
    lines: node.lineItems.nodes.map((line: Rest) => ({
      id: line.id,
      variantId: line.variant?.id ?? null,
      productId: line.product?.id ?? null,
      title: line.title,
      quantity: line.quantity,
      unitPriceCents: money(line.originalUnitPriceSet),
      wristSize: attribute(line.customAttributes, "key", WRIST_SIZE_ATTRIBUTE),
    })),
    fulfillments: node.fulfillments.map((f: Rest) => ({
      id: f.id,
      createdAt: date(f.createdAt, "fulfillments.createdAt"),
      deliveredAt: optionalDate(
        f.events.nodes.find((e: Rest) => e.status === "DELIVERED")?.happenedAt,
        "fulfillments.events.happenedAt",
      ),
    })),
    refunds: node.refunds.map((r: Rest) => ({ id: r.id, createdAt: date(r.createdAt, "refunds.createdAt") })),
  };
}
