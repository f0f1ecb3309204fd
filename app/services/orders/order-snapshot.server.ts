import { parseDecimal, sum, WRIST_SIZE_ATTRIBUTE, type Money, type OrderShippingFacts } from "../../policy";

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
  /** Shipping after shipping discounts. */
  shippingCents: number;
  totalCents: number;
  shipping: OrderShippingFacts;
  lines: Array<{
    id: string;
    variantId: string | null;
    productId: string | null;
    title: string;
    quantity: number;
    unitPriceCents: number;
    /** Band adjustment: the wrist size the shopper gave at checkout. */
    wristSize: string | null;
    /**
     * Return facts (RET-2, RET-7); null when this snapshot does not carry them. compareAtCents is 0
     * when the variant has no compare-at price (known, and never above the price paid).
     */
    compareAtCents: number | null;
    productTags: string | null;
    taxCents: number | null;
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
  const shippingLines: Rest[] = (payload.shipping_lines ?? []).filter((line: Rest) => !line.is_removed);
  const shipping = shippingLines.reduce((total, line) => total + money(line.discounted_price ?? line.price), 0);
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
    shipping: shippingFactsFromWebhook(payload, shippingLines),
    lines: (payload.line_items ?? []).map((line: Rest) => ({
      id: line.admin_graphql_api_id ?? gid("LineItem", line.id),
      variantId: gid("ProductVariant", line.variant_id),
      productId: gid("Product", line.product_id),
      title: String(line.title ?? line.name ?? ""),
      quantity: Number(line.quantity ?? 0),
      unitPriceCents: money(line.price),
      wristSize: attribute(line.properties, "name", WRIST_SIZE_ATTRIBUTE),
      // A REST order carries the line's tax but neither the compare-at price nor the tags.
      compareAtCents: null,
      productTags: null,
      taxCents: Array.isArray(line.tax_lines)
        ? line.tax_lines.reduce((sum: number, tax: Rest) => sum + money(tax.price), 0)
        : null,
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

/**
 * SHP-1's facts from a REST order, in presentment money: the currency the shopper paid in,
 * which the free-shipping Function saw. `subtotal_price` is after every discount and before
 * returns (`current_subtotal_price` drops with a return, which must not undo free shipping);
 * `total_shipping_price_set` is before discounts, so shipping comes from the lines.
 */
function shippingFactsFromWebhook(payload: Rest, shippingLines: Rest[]): OrderShippingFacts {
  const shopCurrency = String(payload.currency ?? "USD");
  const checkoutCurrency = String(payload.presentment_currency ?? shopCurrency);
  const presentment = (set: Rest | undefined, shopAmount: unknown): Money => {
    const paid = set?.presentment_money;
    return paid
      ? parseDecimal(String(paid.amount), String(paid.currency_code))
      : parseDecimal(String(shopAmount ?? "0"), shopCurrency);
  };
  return {
    subtotalAfterDiscounts: presentment(payload.subtotal_price_set, payload.subtotal_price),
    shippingCost: shippingCost(
      shippingLines.map((line) => presentment(line.price_set, line.price)),
      shippingLines.map((line) => presentment(line.discounted_price_set, line.discounted_price ?? line.price)),
      checkoutCurrency,
    ),
    countryCode: payload.shipping_address?.country_code ?? null,
    services: shippingLines.map((line) => String(line.title ?? "")).filter(Boolean),
  };
}

/** The shipping lines' prices and what they charged after discounts, summed; null when the order has none. */
function shippingCost(prices: Money[], charged: Money[], currency: string): OrderShippingFacts["shippingCost"] {
  return prices.length ? { price: sum(prices, currency), charged: sum(charged, currency) } : null;
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
  // SHP-1 in the currency the shopper paid in, as in snapshotFromWebhook.
  const presentment = (set: Rest): Money =>
    parseDecimal(set.presentmentMoney.amount, set.presentmentMoney.currencyCode);
  const shippingLines: Rest[] = node.shippingLines.nodes;
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
    shippingCents: shippingLines.reduce((total, line) => total + money(line.discountedPriceSet), 0),
    totalCents: money(node.totalPriceSet),
    shipping: {
      subtotalAfterDiscounts: presentment(node.subtotalPriceSet),
      shippingCost: shippingCost(
        shippingLines.map((line) => presentment(line.originalPriceSet)),
        shippingLines.map((line) => presentment(line.discountedPriceSet)),
        node.presentmentCurrencyCode,
      ),
      countryCode: node.shippingAddress?.countryCodeV2 ?? null,
      services: shippingLines.map((line) => String(line.title ?? "")).filter(Boolean),
    },
    lines: node.lineItems.nodes.map((line: Rest) => ({
      id: line.id,
      variantId: line.variant?.id ?? null,
      productId: line.product?.id ?? null,
      title: line.title,
      quantity: line.quantity,
      unitPriceCents: money(line.originalUnitPriceSet),
      wristSize: attribute(line.customAttributes, "key", WRIST_SIZE_ATTRIBUTE),
      // RET-2 and RET-7 facts: the variant's compare-at price as the snapshot is taken, the tags, the line's tax.
      compareAtCents:
        line.variant && "compareAtPrice" in line.variant
          ? line.variant.compareAtPrice == null
            ? 0
            : parseDecimal(String(line.variant.compareAtPrice), currency).amount
          : null,
      productTags: line.product && "tags" in line.product ? (line.product.tags as string[]).join(",") : null,
      taxCents: Array.isArray(line.taxLines)
        ? line.taxLines.reduce((sum: number, tax: Rest) => sum + money(tax.priceSet), 0)
        : null,
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
