import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { cents, decimal, restMoneySet } from "./money";
import type { DiscountAllocation, DiscountApplication } from "./actions/orders";
import { legacyId, type EmulatedStore, type Node } from "./store";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Shopify's own example payloads: the emulator's payloads keep their keys and fill in the store's values. */
const TEMPLATE_DIR = join(HERE, "../fixtures/shopify/webhooks");
const templates = new Map<string, Record<string, any>>();
function template(name: string): Record<string, any> {
  if (!templates.has(name)) templates.set(name, JSON.parse(readFileSync(join(TEMPLATE_DIR, `${name}.json`), "utf8")));
  return structuredClone(templates.get(name)!);
}

const amount = (set: { shopMoney: { amount: string } }) => set.shopMoney.amount;
const set = (money: { shopMoney: { amount: string; currencyCode: string } }) =>
  restMoneySet(cents(money.shopMoney.amount), money.shopMoney.currencyCode);
const ids = (node: Node) => ({ id: legacyId(node.id), admin_graphql_api_id: node.id });

function restCustomer(customer: Node | null) {
  if (!customer) return null;
  return {
    ...ids(customer),
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    verified_email: customer.verifiedEmail,
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
    tags: customer.tags.join(", "),
    currency: "USD",
    note: customer.note,
    tax_exempt: false,
    phone: null,
  };
}

function restAddress(address: Node | null) {
  if (!address) return null;
  return {
    first_name: address.firstName,
    last_name: address.lastName,
    name: address.name,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province_code: address.provinceCode,
    province: address.province,
    zip: address.zip,
    country_code: address.countryCodeV2,
    country: address.country,
    phone: null,
    company: null,
    latitude: null,
    longitude: null,
  };
}

function restLineItem(line: Node, currency: string) {
  const shape = template("orders_create").line_items[0];
  const discount = cents(amount(line.totalDiscountSet));
  const allocations: DiscountAllocation[] = line._discountAllocations ?? [];
  return {
    ...shape,
    ...ids(line),
    name: line.name,
    title: line.title,
    variant_title: line.variantTitle,
    sku: line.sku,
    vendor: line.vendor,
    quantity: line.quantity,
    current_quantity: line.currentQuantity,
    fulfillable_quantity: line.unfulfilledQuantity,
    fulfillment_status:
      line.unfulfilledQuantity === 0 ? "fulfilled" : line.unfulfilledQuantity < line.quantity ? "partial" : null,
    price: amount(line.originalUnitPriceSet),
    price_set: set(line.originalUnitPriceSet),
    total_discount: decimal(discount),
    total_discount_set: restMoneySet(discount, currency),
    product_id: legacyId(line.product.id),
    variant_id: legacyId(line.variant.id),
    variant_inventory_management: line.variant.inventoryItem.tracked ? "shopify" : null,
    attributed_staffs: [],
    discount_allocations: allocations.map(restDiscountAllocation(currency)),
    properties: line.customAttributes.map((a: { key: string; value: string }) => ({ name: a.key, value: a.value })),
    tax_lines: (line.taxLines as Node[]).map((tax) => ({
      title: tax.title,
      price: amount(tax.priceSet),
      price_set: set(tax.priceSet),
      rate: tax.rate ?? 0,
      channel_liable: tax.channelLiable,
    })),
  };
}

const restDiscountAllocation = (currency: string) => (allocation: DiscountAllocation) => ({
  amount: decimal(allocation.cents),
  amount_set: restMoneySet(allocation.cents, currency),
  discount_application_index: allocation.applicationIndex,
});

function restShippingLine(line: Node, currency: string) {
  return {
    id: legacyId(line.id),
    title: line.title,
    code: line.code,
    price: amount(line.originalPriceSet),
    price_set: set(line.originalPriceSet),
    discounted_price: amount(line.discountedPriceSet),
    discounted_price_set: set(line.discountedPriceSet),
    current_discounted_price_set: set(line.currentDiscountedPriceSet),
    is_removed: line.isRemoved,
    source: line.source,
    carrier_identifier: line.carrierIdentifier,
    requested_fulfillment_service_id: null,
    phone: null,
    discount_allocations: (line._discountAllocations as DiscountAllocation[]).map(restDiscountAllocation(currency)),
    tax_lines: [],
  };
}

/** REST `discount_applications`, fixed amounts: a code spread across the lines, the others on their own target. */
function restDiscountApplication(application: DiscountApplication) {
  const code = application.type === "discount_code";
  return {
    target_type: application.targetType,
    type: application.type,
    value: decimal(application.amountCents),
    value_type: "fixed_amount",
    allocation_method: code ? "across" : "each",
    target_selection: code || application.targetType === "shipping_line" ? "all" : "entitled",
    ...(application.code ? { code: application.code } : { title: application.title, description: application.title }),
  };
}

function restFulfillment(f: Node, currency: string) {
  const tracking = f.trackingInfo[0] ?? {};
  const latest = (f.events as Node[]).at(-1);
  return {
    ...template("fulfillments_create"),
    ...ids(f),
    order_id: legacyId(f.order.id),
    name: f.name,
    status: f.status === "CANCELLED" ? "cancelled" : "success",
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    location_id: legacyId(f.location.id),
    service: "manual",
    tracking_company: tracking.company ?? null,
    tracking_number: tracking.number ?? null,
    tracking_numbers: tracking.number ? [tracking.number] : [],
    tracking_url: tracking.url ?? null,
    tracking_urls: tracking.url ? [tracking.url] : [],
    shipment_status: latest ? latest.status.toLowerCase() : null,
    email: f.order.email,
    destination: restAddress(f.order.shippingAddress),
    line_items: (f.fulfillmentLineItems as Node[]).map((fli) => ({
      ...restLineItem(fli.lineItem, currency),
      quantity: fli.quantity,
    })),
    receipt: {},
  };
}

function restTransaction(t: Node, order: Node) {
  return {
    ...ids(t),
    order_id: legacyId(order.id),
    kind: t.kind.toLowerCase(),
    status: t.status.toLowerCase(),
    gateway: t.gateway,
    amount: amount(t.amountSet),
    currency: t.amountSet.shopMoney.currencyCode,
    created_at: t.createdAt,
    processed_at: t.processedAt,
    parent_id: t.parentTransaction ? legacyId(t.parentTransaction.id) : null,
    test: t.test,
    payment_details:
      t.paymentDetails?.__typename === "CardPaymentDetails"
        ? {
            credit_card_company: t.paymentDetails.company,
            credit_card_number: t.paymentDetails.number,
            credit_card_wallet: t.paymentDetails.wallet,
          }
        : null,
  };
}

function restRefund(r: Node, currency: string) {
  return {
    ...template("refunds_create"),
    ...ids(r),
    order_id: legacyId(r.order.id),
    created_at: r.createdAt,
    processed_at: r.processedAt,
    note: r.note,
    return: r.return ? ids(r.return) : null,
    refund_line_items: (r.refundLineItems as Node[]).map((rli) => ({
      id: legacyId(rli.id),
      line_item_id: legacyId(rli.lineItem.id),
      quantity: rli.quantity,
      restock_type: "no_restock",
      subtotal: amount(rli.subtotalSet),
      subtotal_set: set(rli.subtotalSet),
      total_tax: "0.00",
      total_tax_set: restMoneySet(0, currency),
      line_item: restLineItem(rli.lineItem, currency),
    })),
    transactions: (r.transactions as Node[]).map((t) => restTransaction(t, r.order)),
    order_adjustments: [],
    refund_shipping_lines: [],
    duties: [],
    total_duties_set: restMoneySet(0, currency),
  };
}

const FINANCIAL: Record<string, string> = {
  PAID: "paid",
  PENDING: "pending",
  AUTHORIZED: "authorized",
  PARTIALLY_PAID: "partially_paid",
  PARTIALLY_REFUNDED: "partially_refunded",
  REFUNDED: "refunded",
  VOIDED: "voided",
};

export function restOrder(order: Node, store: EmulatedStore) {
  const currency = store.currency;
  const payload = template("orders_create");
  const gateways = [...new Set((order.transactions as Node[]).map((t) => t.gateway))];
  return {
    ...payload,
    ...ids(order),
    name: order.name,
    number: order.number - 1000 + 1,
    order_number: order.number,
    confirmation_number: order.confirmationNumber,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt,
    processed_at: order.processedAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason ? order.cancelReason.toLowerCase() : null,
    closed_at: order.closedAt,
    confirmed: true,
    currency,
    presentment_currency: currency,
    financial_status: FINANCIAL[order.displayFinancialStatus] ?? "pending",
    fulfillment_status:
      order.displayFulfillmentStatus === "FULFILLED"
        ? "fulfilled"
        : order.displayFulfillmentStatus === "PARTIALLY_FULFILLED"
          ? "partial"
          : null,
    subtotal_price: amount(order.subtotalPriceSet),
    subtotal_price_set: set(order.subtotalPriceSet),
    current_subtotal_price: amount(order.currentSubtotalPriceSet),
    current_subtotal_price_set: set(order.currentSubtotalPriceSet),
    total_price: amount(order.totalPriceSet),
    total_price_set: set(order.totalPriceSet),
    current_total_price: amount(order.currentTotalPriceSet),
    current_total_price_set: set(order.currentTotalPriceSet),
    total_tax: amount(order.totalTaxSet),
    total_tax_set: set(order.totalTaxSet),
    current_total_tax: amount(order.currentTotalTaxSet),
    current_total_tax_set: set(order.currentTotalTaxSet),
    total_discounts: amount(order.totalDiscountsSet),
    total_discounts_set: set(order.totalDiscountsSet),
    total_line_items_price: decimal(
      (order.lineItems as Node[]).reduce((s, l) => s + cents(amount(l.originalTotalSet)), 0),
    ),
    // Before shipping discounts, as Shopify sends it; current_shipping_price_set is after them.
    total_shipping_price_set: set(order.totalShippingPriceSet),
    current_shipping_price_set: set(order.currentShippingPriceSet),
    total_outstanding: amount(order.totalOutstandingSet),
    shipping_lines: (order.shippingLines as Node[]).map((line) => restShippingLine(line, currency)),
    customer: restCustomer(order.customer),
    shipping_address: restAddress(order.shippingAddress),
    billing_address: restAddress(order.shippingAddress),
    line_items: (order.lineItems as Node[]).map((l) => restLineItem(l, currency)),
    fulfillments: (order.fulfillments as Node[]).map((f) => restFulfillment(f, currency)),
    refunds: (order.refunds as Node[]).map((r) => restRefund(r, currency)),
    returns: [],
    payment_gateway_names: gateways,
    tags: order.tags.join(", "),
    note: order.note,
    test: order.test,
    discount_codes: (order._discountApplications as DiscountApplication[])
      .filter((application) => application.code)
      .map((application) => ({
        code: application.code,
        amount: decimal(application.amountCents),
        type: "fixed_amount",
      })),
    discount_applications: (order._discountApplications as DiscountApplication[]).map(restDiscountApplication),
    note_attributes: [],
  };
}

/** Shopify's REST product images and media: the first is the product's `image`. */
function restProductMedia(product: Node) {
  const media = product.media as Node[];
  const images = media.map((m, index) => ({
    id: legacyId(m.id),
    admin_graphql_api_id: `gid://shopify/ProductImage/${legacyId(m.id)}`,
    product_id: legacyId(product.id),
    position: index + 1,
    alt: m.alt,
    width: m.image.width,
    height: m.image.height,
    src: m.image.url,
    variant_ids: [],
    created_at: m.createdAt,
    updated_at: m.createdAt,
  }));
  return {
    image: images[0] ?? null,
    images,
    media: media.map((m, index) => ({
      id: legacyId(m.id),
      admin_graphql_api_id: m.id,
      product_id: legacyId(product.id),
      position: index + 1,
      alt: m.alt,
      status: m.status,
      media_content_type: m.mediaContentType,
      preview_image: { width: m.image.width, height: m.image.height, src: m.image.url, status: m.preview.status },
      variant_ids: [],
      created_at: m.createdAt,
      updated_at: m.createdAt,
    })),
  };
}

function restProduct(product: Node) {
  const payload = template("products_update");
  return {
    ...payload,
    ...ids(product),
    title: product.title,
    handle: product.handle,
    product_type: product.productType,
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    published_at: product.publishedAt,
    ...restProductMedia(product),
    variants: (product.variants as Node[]).map((v) => ({
      ...ids(v),
      product_id: legacyId(product.id),
      title: v.title,
      sku: v.sku,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      inventory_policy: v.inventoryPolicy.toLowerCase(),
      inventory_item_id: legacyId(v.inventoryItem.id),
      inventory_management: v.inventoryItem.tracked ? "shopify" : null,
      inventory_quantity: (v.inventoryItem.inventoryLevels as Node[]).reduce((s, l) => s + l._quantities.available, 0),
      position: v.position,
      created_at: v.createdAt,
      updated_at: v.updatedAt,
    })),
  };
}

function restReturn(ret: Node) {
  const base = { ...ids(ret), status: ret.status.toLowerCase(), order: ids(ret.order), name: ret.name };
  if (ret.status === "CLOSED") return { ...ids(ret), order_id: legacyId(ret.order.id), status: "closed" };
  if (ret.status === "DECLINED")
    return { ...base, decline: { reason: ret.decline.reason.toLowerCase(), note: ret.decline.note } };
  return {
    ...base,
    total_return_line_items: ret.returnLineItems.length,
    return_line_items: (ret.returnLineItems as Node[]).map((line) => ({
      ...ids(line),
      fulfillment_line_item: {
        id: legacyId(line.fulfillmentLineItem.id),
        admin_graphql_api_id: line.fulfillmentLineItem.id,
        line_item: ids(line.fulfillmentLineItem.lineItem),
      },
      quantity: line.quantity,
      return_reason: String(line.returnReason).toLowerCase(),
      return_reason_note: line.returnReasonNote,
      customer_note: line.customerNote,
    })),
    return_shipping_fees: (ret.returnShippingFees as Node[]).map((fee) => ({
      ...ids(fee),
      price: {
        shop_money: { amount: fee.amountSet.shopMoney.amount, currency_code: fee.amountSet.shopMoney.currencyCode },
        presentment_money: {
          amount: fee.amountSet.presentmentMoney.amount,
          currency_code: fee.amountSet.presentmentMoney.currencyCode,
        },
      },
    })),
    exchange_line_items: [],
    total_exchange_line_items: 0,
  };
}

/** The REST-shaped body Shopify would send for a topic. */
export function restPayload(
  topic: string,
  resource: Record<string, any>,
  store: EmulatedStore,
): Record<string, unknown> {
  const node = resource as Node;
  switch (topic.split("/")[0]) {
    case "orders":
      return restOrder(node, store);
    case "fulfillments":
      return restFulfillment(node, store.currency);
    case "fulfillment_events": {
      const f = node._fulfillment as Node;
      return {
        ...template("fulfillment_events_create"),
        ...ids(node),
        fulfillment_id: legacyId(f.id),
        order_id: legacyId(f.order.id),
        status: node.status.toLowerCase(),
        message: node.message,
        happened_at: node.happenedAt,
        created_at: node.createdAt,
        updated_at: node.createdAt,
        shop_id: legacyId(store.shop.id),
        country: node.country,
      };
    }
    case "refunds":
      return restRefund(node, store.currency);
    case "returns":
      return restReturn(node);
    case "reverse_deliveries": {
      const deliverable = node.deliverable;
      return {
        ...ids(node),
        return: ids(node.reverseFulfillmentOrder._return),
        shipping_deliverable: {
          tracking: deliverable.tracking
            ? {
                carrier_name: deliverable.tracking.carrierName,
                tracking_number: deliverable.tracking.number,
                tracking_url: deliverable.tracking.url,
              }
            : null,
          label: deliverable.label
            ? { public_file_url: deliverable.label.publicFileUrl, created_at: deliverable.label.createdAt }
            : null,
        },
      };
    }
    case "products":
      return restProduct(node);
    case "inventory_levels":
      return {
        inventory_item_id: legacyId(node.item.id),
        location_id: legacyId(node.location.id),
        available: node._quantities.available,
        updated_at: node.updatedAt,
        admin_graphql_api_id: node.id,
      };
    case "app": {
      if (topic === "app/scopes_update") return resource;
      return {
        ...template("app_uninstalled"),
        id: legacyId(store.shop.id),
        name: store.shop.name,
        email: store.shop.email,
        domain: store.domain,
        myshopify_domain: store.domain,
        iana_timezone: store.shop.ianaTimezone,
        currency: store.currency,
      };
    }
    default:
      // Compliance topics and anything built by the caller arrive ready-made.
      return resource;
  }
}
