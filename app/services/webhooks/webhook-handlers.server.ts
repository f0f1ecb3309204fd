import type { PrismaClient, WebhookEvent } from "@prisma/client";
import { ORDER_PAYMENTS_QUERY, ORDER_SNAPSHOT_QUERY } from "../orders/order-documents";
import type { PolicySettings } from "../../policy";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { storedPayments, type AdminTransaction } from "../orders/order-facts.server";
import {
  PayloadError,
  snapshotFromAdmin,
  snapshotFromWebhook,
  type OrderSnapshot,
} from "../orders/order-snapshot.server";
import type { OrderCache } from "../orders/order-cache.server";
import { PAYLOADS, parsePayload } from "../inbox/webhook-payloads.server";
import { applyOrderSnapshot, recordEvent, type StoredPayment } from "../orders/order-timeline.server";
import { auditFulfillment, type FulfillmentPayloadFacts } from "../orders/audit-fulfillment.server";
import {
  customerRedactionCanApply,
  exportCustomerData,
  redactCustomer,
  redactShop,
  shopRedactionCanApply,
} from "../shops/privacy.server";
import { RefusedEvent } from "../inbox/webhook-errors.server";
import { notRecordedYet, prepareReturnEvent } from "../returns/return-webhooks.server";
import { syncReturnArrivals } from "../returns/return-record.server";
import { prepareTrackingEvent } from "../labels/track-parcel.server";

/** What preparing an event needs to know of an order already stored. */
export interface StoredOrderFacts {
  financialStatus: string | null;
  payments: unknown;
}

export interface HandlerContext {
  db: PrismaClient;
  gateway: (shop: string) => Promise<AdminGateway>;
  settings: (shop: string) => Promise<PolicySettings>;
  /** The stored order of that id, if it is one of that shop's. */
  storedOrder: (shop: string, id: string) => Promise<StoredOrderFacts | null>;
  now: Date;
  /** What earlier events of the same batch will have done by the time this one applies, by `orderKey`. */
  batch: { ordersCreated: Set<string>; payments: Map<string, Promise<StoredPayment[]>> };
}

/** An order as one shop names it: the same id named by another shop is another question. */
const orderKey = (shop: string, orderId: string) => `${shop} ${orderId}`;

export function newBatch(): HandlerContext["batch"] {
  return { ordersCreated: new Set(), payments: new Map() };
}

/**
 * Stored order facts for a batch's events, read together: the lookups asked for
 * while the batch is being prepared (concurrently) are answered by one query.
 */
export function storedOrderLoader(db: PrismaClient): HandlerContext["storedOrder"] {
  const answers = new Map<string, Promise<StoredOrderFacts | null>>();
  let waiting: Map<string, { id: string; resolve: (facts: StoredOrderFacts | null) => void }> | null = null;
  let failed: ((error: unknown) => void)[] = [];
  const flush = async () => {
    const batch = waiting!;
    const rejects = failed;
    waiting = null;
    failed = [];
    try {
      const rows = await db.order.findMany({
        where: { id: { in: [...new Set([...batch.values()].map((w) => w.id))] } },
        select: { id: true, shop: true, financialStatus: true, payments: true },
      });
      const found = new Map(rows.map((row) => [orderKey(row.shop, row.id), row]));
      for (const [key, { resolve }] of batch) {
        const row = found.get(key);
        resolve(row ? { financialStatus: row.financialStatus, payments: row.payments } : null);
      }
    } catch (error) {
      for (const reject of rejects) reject(error);
    }
  };
  return (shop, id) => {
    const key = orderKey(shop, id);
    let answer = answers.get(key);
    if (!answer) {
      answer = new Promise((resolve, reject) => {
        if (!waiting) {
          waiting = new Map();
          setImmediate(flush);
        }
        waiting.set(key, { id, resolve });
        failed.push(reject);
      });
      answers.set(key, answer);
    }
    return answer;
  };
}

/**
 * What applying an event does in its transaction (true if it changed something), and
 * which orders to refresh then. It writes through `orders.tx`; orders it reads and
 * writes go through the cache so a batch reads each order once.
 */
export interface Prepared {
  apply: (orders: OrderCache) => Promise<boolean>;
  orders: string[];
}

// Admin API answers (typed by their documents); webhook payloads are parsed by their topic's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;
type Handler = (event: WebhookEvent, ctx: HandlerContext) => Promise<Prepared>;

const orderGid = (id: string) => `gid://shopify/Order/${id}`;

const NOTHING: Prepared = { apply: async () => false, orders: [] };

type TransactionWithTime = AdminTransaction & { processedAt: string };

async function fetchPayments(ctx: HandlerContext, shop: string, orderId: string): Promise<StoredPayment[]> {
  const gateway = await ctx.gateway(shop);
  const result = await gateway.request<{ order: { transactions: TransactionWithTime[] } | null }>(
    ORDER_PAYMENTS_QUERY,
    { id: orderId },
  );
  if (!result.order) throw new PayloadError(`order ${orderId} does not exist in ${shop}`);
  return storedPayments(result.order.transactions);
}

/** The payment facts change with the financial status: fetch them when unknown or when it moved. */
async function paymentsIfChanged(
  ctx: HandlerContext,
  shop: string,
  snap: OrderSnapshot,
): Promise<StoredPayment[] | null> {
  const stored = await ctx.storedOrder(shop, snap.id);
  if (stored?.payments && stored.financialStatus === snap.financialStatus) return null;
  // The Admin API answers with the order's current transactions: one fetch serves the batch.
  const key = orderKey(shop, snap.id);
  let payments = ctx.batch.payments.get(key);
  if (!payments) ctx.batch.payments.set(key, (payments = fetchPayments(ctx, shop, snap.id)));
  return payments;
}

/**
 * An event about an order the app has not stored yet (it arrived before orders/create,
 * or that webhook was lost): fetch the order first, so nothing waits on delivery order.
 */
async function ensureOrder(
  ctx: HandlerContext,
  shop: string,
  orderId: string,
): Promise<((orders: OrderCache) => Promise<boolean>) | null> {
  // Claimed before any await: events of a batch are prepared concurrently, and the first one fetches.
  const key = orderKey(shop, orderId);
  if (ctx.batch.ordersCreated.has(key)) return null;
  ctx.batch.ordersCreated.add(key);
  if (await ctx.storedOrder(shop, orderId)) return null;
  const gateway = await ctx.gateway(shop);
  const result = await gateway.request<{ order: Payload | null }>(ORDER_SNAPSHOT_QUERY, { id: orderId });
  if (!result.order) throw new PayloadError(`order ${orderId} does not exist in ${shop}`);
  const snap = snapshotFromAdmin(result.order);
  const payments = storedPayments(result.order.transactions);
  const settings = await ctx.settings(shop);
  return (orders) => applyOrderSnapshot(orders, shop, snap, "admin-api", payments, settings);
}

async function withOrder(
  ctx: HandlerContext,
  shop: string,
  orderId: string,
  apply: (orders: OrderCache) => Promise<boolean>,
): Promise<Prepared> {
  const first = await ensureOrder(ctx, shop, orderId);
  return {
    apply: async (orders) => {
      const fetched = first ? await first(orders) : false;
      return (await apply(orders)) || fetched;
    },
    orders: [orderId],
  };
}

const when = (event: WebhookEvent) => event.triggeredAt ?? event.receivedAt;

const orders: Handler = async (event, ctx) => {
  const snap = snapshotFromWebhook(parsePayload(event.topic, event.body, PAYLOADS.orders));
  ctx.batch.ordersCreated.add(orderKey(event.shop, snap.id));
  const payments = await paymentsIfChanged(ctx, event.shop, snap);
  const settings = await ctx.settings(event.shop);
  return {
    apply: (orders) => applyOrderSnapshot(orders, event.shop, snap, event.topic, payments, settings),
    orders: [snap.id],
  };
};

/** An order as the Admin API answered reconciliation: enqueued by the app itself, never accepted from outside. */
const reconciledOrder: Handler = async (event, ctx) => {
  const payload: Payload = JSON.parse(event.body);
  const snap = snapshotFromAdmin(payload);
  ctx.batch.ordersCreated.add(orderKey(event.shop, snap.id));
  const payments = storedPayments(payload.transactions);
  const settings = await ctx.settings(event.shop);
  return {
    apply: (orders) => applyOrderSnapshot(orders, event.shop, snap, "reconcile", payments, settings),
    orders: [snap.id],
  };
};

const fulfillments: Handler = async (event, ctx) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.fulfillment);
  const orderId = orderGid(payload.order_id);
  const id = payload.admin_graphql_api_id;
  const settings = await ctx.settings(event.shop);
  return withOrder(ctx, event.shop, orderId, async (orders) => {
    const shipped = await recordEvent(orders, orderId, "shipped", id, new Date(payload.created_at), event.topic);
    // Shopify's record time; the carrier's own time (fulfillment_events) replaces it when earlier.
    const delivered =
      payload.shipment_status === "delivered" &&
      (await recordEvent(orders, orderId, "delivered", id, new Date(payload.updated_at), event.topic));
    const audited = await auditFulfillment(orders, fulfillmentFacts(payload, orderId), settings);
    return shipped || delivered || audited;
  });
};

/** SHP-4: the parcel as the fulfillment webhook describes it. */
const fulfillmentFacts = (payload: Payload, orderId: string): FulfillmentPayloadFacts => ({
  id: payload.admin_graphql_api_id,
  orderId,
  createdAt: new Date(payload.created_at),
  status: payload.status ?? null,
  trackingCompany: payload.tracking_company ?? null,
  trackingUrls: payload.tracking_urls?.length
    ? payload.tracking_urls
    : payload.tracking_url
      ? [payload.tracking_url]
      : [],
  destinationCountry: payload.destination?.country_code ?? null,
});

const fulfillmentEvents: Handler = async (event, ctx) => {
  const { status } = parsePayload(event.topic, event.body, PAYLOADS.fulfillmentEventStatus);
  if (status !== "delivered") return NOTHING;
  const payload = parsePayload(event.topic, event.body, PAYLOADS.deliveredEvent);
  const orderId = orderGid(payload.order_id);
  const fulfillmentId = `gid://shopify/Fulfillment/${payload.fulfillment_id}`;
  return withOrder(ctx, event.shop, orderId, (orders) =>
    recordEvent(orders, orderId, "delivered", fulfillmentId, new Date(payload.happened_at), event.topic),
  );
};

const refunds: Handler = async (event, ctx) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.refund);
  const orderId = orderGid(payload.order_id);
  return withOrder(ctx, event.shop, orderId, (orders) =>
    recordEvent(orders, orderId, "refunded", payload.admin_graphql_api_id, new Date(payload.created_at), event.topic),
  );
};

/** returns/*: the return's steps, a return the app missed healed, a native self-serve request checked (returns service). */
const returns: Handler = async (event, ctx) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.return);
  const { orderId } = payload;
  const prepared = await prepareReturnEvent(ctx, {
    shop: event.shop,
    topic: event.topic,
    returnId: payload.admin_graphql_api_id,
    orderId,
    at: when(event),
    receivedAt: event.receivedAt,
    decline: payload.decline,
  });
  return withOrder(ctx, event.shop, orderId, prepared.apply);
};

const reverseDeliveries: Handler = async (event, ctx) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.reverseDelivery);
  const returnId = payload.return.admin_graphql_api_id;
  const request = await ctx.db.orderEvent.findFirst({
    where: { kind: "return_requested", ref: returnId, order: { shop: event.shop } },
  });
  // The label can arrive before the return request it belongs to: put off (no attempt used) until it is known.
  if (!request) throw notRecordedYet(`return ${returnId} is not known yet`, event.receivedAt);
  const labelCreatedAt = payload.shipping_deliverable?.label?.created_at;
  const issuedAt = labelCreatedAt ? new Date(labelCreatedAt) : when(event);
  return {
    apply: (orders) =>
      // A return's steps are recorded under its gid: the app's own label and Shopify's report of it are one entry.
      recordEvent(orders, request.orderId, "label_issued", returnId, issuedAt, event.topic),
    orders: [request.orderId],
  };
};

const products: Handler = async (event) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.product);
  const updatedAt = new Date(payload.updated_at);
  // The featured image, as the Admin API's featuredMedia: REST's `image`, else the first media's preview.
  const imageUrl = payload.image?.src ?? payload.media?.[0]?.preview_image?.src ?? null;
  const tags = (payload.tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    orders: [],
    apply: async ({ tx }) => {
      for (const v of payload.variants) {
        const id = v.admin_graphql_api_id;
        const data = {
          shop: event.shop,
          productId: payload.admin_graphql_api_id,
          productTags: JSON.stringify(tags),
          productTitle: payload.title ?? null,
          variantTitle: v.title ?? null,
          imageUrl,
          inventoryItemId: v.inventory_item_id ? `gid://shopify/InventoryItem/${v.inventory_item_id}` : null,
          tracked: v.inventory_management === "shopify",
          inventoryPolicy: (v.inventory_policy ?? "deny").toUpperCase(),
          available: v.inventory_quantity ?? 0,
          shopifyUpdatedAt: updatedAt,
        };
        const known = await tx.variantInventory.findUnique({
          where: { id },
          select: { shop: true, shopifyUpdatedAt: true },
        });
        if (known && known.shop !== event.shop)
          throw new RefusedEvent(`variant ${id} is not a variant of ${event.shop}`);
        if (!known) await tx.variantInventory.create({ data: { id, ...data } });
        else if (updatedAt >= known.shopifyUpdatedAt) await tx.variantInventory.update({ where: { id }, data });
      }
      return true;
    },
  };
};

const inventoryLevels: Handler = async (event) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.inventoryLevel);
  const itemId = `gid://shopify/InventoryItem/${payload.inventory_item_id}`;
  const updatedAt = new Date(payload.updated_at);
  return {
    orders: [],
    apply: async ({ tx }) => {
      await tx.variantInventory.updateMany({
        where: { shop: event.shop, inventoryItemId: itemId, shopifyUpdatedAt: { lte: updatedAt } },
        data: { available: payload.available ?? 0, shopifyUpdatedAt: updatedAt },
      });
      return true;
    },
  };
};

const appUninstalled: Handler = async (event) => ({
  orders: [],
  apply: async ({ tx }) => {
    await tx.session.deleteMany({ where: { shop: event.shop } });
    await tx.shop.updateMany({ where: { domain: event.shop }, data: { uninstalledAt: when(event) } });
    return true;
  },
});

const scopesUpdate: Handler = async (event) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.scopes);
  return {
    orders: [],
    apply: async ({ tx }) => {
      const current = payload.current?.join(",");
      if (current) await tx.session.updateMany({ where: { shop: event.shop }, data: { scope: current } });
      return true;
    },
  };
};

/**
 * Shopify signs a webhook's body, not the X-Shopify-Shop-Domain header: a compliance
 * request acts only on the delivering shop, and only when its own payload names that shop.
 */
function requireOwnShop(event: WebhookEvent, payload: { shop_domain: string }): void {
  if (payload.shop_domain !== event.shop)
    throw new RefusedEvent(
      `${event.topic} refused: its payload's shop_domain ${JSON.stringify(payload.shop_domain)} is not ${event.shop}`,
    );
}

const dataRequest: Handler = async (event) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.dataRequest);
  requireOwnShop(event, payload);
  return { orders: [], apply: ({ tx }) => exportCustomerData(tx, event, payload).then(() => true) };
};

const customerRedact: Handler = async (event, ctx) => {
  const payload = parsePayload(event.topic, event.body, PAYLOADS.customerRedact);
  requireOwnShop(event, payload);
  await customerRedactionCanApply(ctx.db, event, payload);
  return { orders: [], apply: ({ tx }) => redactCustomer(tx, event, payload).then(() => true) };
};

const shopRedact: Handler = async (event, ctx) => {
  requireOwnShop(event, parsePayload(event.topic, event.body, PAYLOADS.shopRedact));
  await shopRedactionCanApply(ctx.db, event);
  return { orders: [], apply: ({ tx }) => redactShop(tx, event).then(() => true) };
};

/**
 * Topics that erase what earlier events stored: each is applied alone, after the
 * events received before it, and is followed by `scrubFreedSpace`.
 */
export const REDACTION_TOPICS: ReadonlySet<string> = new Set(["customers/redact", "shop/redact"]);

/**
 * Every event that touches an order keeps its returns' deadlines to the facts as they now
 * stand: a delivery recorded (or moved earlier) after a return was requested moves RET-12's
 * arrival date, whichever of the two webhooks arrived first.
 */
const withReturnDeadlines =
  (handler: Handler): Handler =>
  async (event, ctx) => {
    const prepared = await handler(event, ctx);
    if (!prepared.orders.length) return prepared;
    const settings = await ctx.settings(event.shop);
    return {
      orders: prepared.orders,
      apply: async (orders) => {
        let changed = await prepared.apply(orders);
        for (const orderId of prepared.orders) if (await syncReturnArrivals(orders, orderId, settings)) changed = true;
        return changed;
      },
    };
  };

const HANDLED: Record<string, Handler> = {
  "orders/create": orders,
  "orders/updated": orders,
  "orders/paid": orders,
  "orders/cancelled": orders,
  "reconcile/order": reconciledOrder,
  "fulfillments/create": fulfillments,
  "fulfillments/update": fulfillments,
  "fulfillment_events/create": fulfillmentEvents,
  "refunds/create": refunds,
  "returns/request": returns,
  "returns/approve": returns,
  "returns/decline": returns,
  "returns/cancel": returns,
  "returns/close": returns,
  "returns/reopen": returns,
  "returns/process": returns,
  "returns/update": returns,
  "reverse_deliveries/attach_deliverable": reverseDeliveries,
  // Verified and stored by POST /webhooks/carrier (internal: refused on Shopify's /webhooks).
  "carrier/tracker.updated": (event, ctx) => prepareTrackingEvent(event, ctx.db),
  "products/create": products,
  "products/update": products,
  "inventory_levels/update": inventoryLevels,
  "app/uninstalled": appUninstalled,
  "app/scopes_update": scopesUpdate,
  "customers/data_request": dataRequest,
  "customers/redact": customerRedact,
  "shop/redact": shopRedact,
};

export const HANDLERS: Record<string, Handler> = Object.fromEntries(
  Object.entries(HANDLED).map(([topic, handler]) => [topic, withReturnDeadlines(handler)]),
);
