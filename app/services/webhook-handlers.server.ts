import type { PrismaClient, WebhookEvent } from "@prisma/client";
import { ORDER_PAYMENTS_QUERY, ORDER_SNAPSHOT_QUERY } from "../graphql/orders";
import type { PolicySettings } from "../policy";
import type { AdminGateway } from "./admin-gateway.server";
import { storedPayments, type AdminTransaction } from "./order-facts.server";
import { PayloadError, snapshotFromAdmin, snapshotFromWebhook, type OrderSnapshot } from "./order-snapshot.server";
import { applyOrderSnapshot, flagOversold, recordEvent, type StoredPayment } from "./order-timeline.server";
import { exportCustomerData, redactCustomer, redactShop } from "./privacy.server";
import type { Tx } from "./webhook-inbox.server";

export interface HandlerContext {
  db: PrismaClient;
  gateway: (shop: string) => Promise<AdminGateway>;
  settings: (shop: string) => Promise<PolicySettings>;
  now: Date;
  /** What earlier events of the same batch will have done by the time this one applies. */
  batch: { ordersCreated: Set<string>; payments: Map<string, { status: string | null; payments: StoredPayment[] }> };
}

export function newBatch(): HandlerContext["batch"] {
  return { ordersCreated: new Set(), payments: new Map() };
}

/** What applying an event does in its transaction (true if it changed something), and which orders to refresh then. */
export interface Prepared {
  apply: (tx: Tx) => Promise<boolean>;
  orders: string[];
}

// Shopify JSON payloads: each field is checked where it is read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;
type Handler = (event: WebhookEvent, payload: Payload, ctx: HandlerContext) => Promise<Prepared>;

/** Numeric ids read from the raw body: JSON numbers above 2^53 would lose precision. */
export function rawId(body: string, key: string): string | null {
  return new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(body)?.[1] ?? null;
}

const orderGid = (body: string, payload: Payload): string => {
  const id =
    payload.order?.admin_graphql_api_id ??
    (rawId(body, "order_id") ? `gid://shopify/Order/${rawId(body, "order_id")}` : null);
  if (!id) throw new PayloadError("the payload names no order");
  return id;
};

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
  const stored = await ctx.db.order.findUnique({
    where: { id: snap.id },
    select: { financialStatus: true, payments: true },
  });
  if (stored?.payments && stored.financialStatus === snap.financialStatus) return null;
  return fetchPayments(ctx, shop, snap.id);
}

/**
 * An event about an order the app has not stored yet (it arrived before orders/create,
 * or that webhook was lost): fetch the order first, so nothing waits on delivery order.
 */
async function ensureOrder(
  ctx: HandlerContext,
  shop: string,
  orderId: string,
): Promise<((tx: Tx) => Promise<boolean>) | null> {
  if (ctx.batch.ordersCreated.has(orderId)) return null;
  if (await ctx.db.order.findUnique({ where: { id: orderId }, select: { id: true } })) return null;
  ctx.batch.ordersCreated.add(orderId);
  const gateway = await ctx.gateway(shop);
  const result = await gateway.request<{ order: Payload | null }>(ORDER_SNAPSHOT_QUERY, { id: orderId });
  if (!result.order) throw new PayloadError(`order ${orderId} does not exist in ${shop}`);
  const snap = snapshotFromAdmin(result.order);
  const payments = storedPayments(result.order.transactions);
  return (tx) => applyOrderSnapshot(tx, shop, snap, "admin-api", payments);
}

async function withOrder(
  ctx: HandlerContext,
  shop: string,
  orderId: string,
  apply: (tx: Tx) => Promise<boolean>,
): Promise<Prepared> {
  const first = await ensureOrder(ctx, shop, orderId);
  return {
    apply: async (tx) => {
      const fetched = first ? await first(tx) : false;
      return (await apply(tx)) || fetched;
    },
    orders: [orderId],
  };
}

const when = (event: WebhookEvent) => event.triggeredAt ?? event.receivedAt;

const orders: Handler = async (event, payload, ctx) => {
  const snap = snapshotFromWebhook(payload);
  const payments = await paymentsIfChanged(ctx, event.shop, snap);
  ctx.batch.ordersCreated.add(snap.id);
  const settings = await ctx.settings(event.shop);
  return {
    apply: async (tx) => {
      const changed = await applyOrderSnapshot(tx, event.shop, snap, event.topic, payments);
      return (await flagOversold(tx, event.shop, snap, settings)) || changed;
    },
    orders: [snap.id],
  };
};

const reconciledOrder: Handler = async (event, payload, ctx) => {
  const snap = snapshotFromAdmin(payload);
  ctx.batch.ordersCreated.add(snap.id);
  const payments = storedPayments(payload.transactions);
  return { apply: (tx) => applyOrderSnapshot(tx, event.shop, snap, "reconcile", payments), orders: [snap.id] };
};

const fulfillments: Handler = async (event, payload, ctx) => {
  const orderId = orderGid(event.body, payload);
  const id = payload.admin_graphql_api_id as string;
  return withOrder(ctx, event.shop, orderId, async (tx) => {
    const shipped = await recordEvent(tx, orderId, "shipped", id, new Date(payload.created_at), event.topic);
    // Shopify's record time; the carrier's own time (fulfillment_events) replaces it when earlier.
    const delivered =
      payload.shipment_status === "delivered" &&
      (await recordEvent(tx, orderId, "delivered", id, new Date(payload.updated_at), event.topic));
    return shipped || delivered;
  });
};

const fulfillmentEvents: Handler = async (event, payload, ctx) => {
  if (payload.status !== "delivered") return NOTHING;
  const orderId = orderGid(event.body, payload);
  const fulfillmentId = `gid://shopify/Fulfillment/${rawId(event.body, "fulfillment_id")}`;
  return withOrder(ctx, event.shop, orderId, (tx) =>
    recordEvent(tx, orderId, "delivered", fulfillmentId, new Date(payload.happened_at), event.topic),
  );
};

const refunds: Handler = async (event, payload, ctx) => {
  const orderId = orderGid(event.body, payload);
  return withOrder(ctx, event.shop, orderId, (tx) =>
    recordEvent(tx, orderId, "refunded", payload.admin_graphql_api_id, new Date(payload.created_at), event.topic),
  );
};

const returns: Handler = async (event, payload, ctx) => {
  const kind =
    event.topic === "returns/request"
      ? "return_requested"
      : event.topic === "returns/process"
        ? "return_received"
        : null;
  if (!kind) return NOTHING;
  const orderId = orderGid(event.body, payload);
  return withOrder(ctx, event.shop, orderId, (tx) =>
    recordEvent(tx, orderId, kind, payload.admin_graphql_api_id, when(event), event.topic),
  );
};

const reverseDeliveries: Handler = async (event, payload, ctx) => {
  const returnId = payload.return?.admin_graphql_api_id;
  const request = returnId
    ? await ctx.db.orderEvent.findFirst({ where: { kind: "return_requested", ref: returnId } })
    : null;
  // The label can arrive before the return request it belongs to: retried until it is known.
  if (!request) throw new Error(`return ${returnId ?? "(none)"} is not known yet`);
  const issuedAt = payload.shipping_deliverable?.label?.created_at
    ? new Date(payload.shipping_deliverable.label.created_at)
    : when(event);
  return {
    apply: (tx) =>
      recordEvent(tx, request.orderId, "label_issued", payload.admin_graphql_api_id, issuedAt, event.topic),
    orders: [request.orderId],
  };
};

const products: Handler = async (event, payload) => {
  const updatedAt = new Date(payload.updated_at);
  const tags =
    typeof payload.tags === "string"
      ? payload.tags
          .split(",")
          .map((t: string) => t.trim())
          .filter(Boolean)
      : [];
  return {
    orders: [],
    apply: async (tx) => {
      for (const v of payload.variants ?? []) {
        const id = v.admin_graphql_api_id as string;
        const data = {
          shop: event.shop,
          productId: payload.admin_graphql_api_id,
          productTags: JSON.stringify(tags),
          inventoryItemId: rawId(JSON.stringify(v), "inventory_item_id")
            ? `gid://shopify/InventoryItem/${v.inventory_item_id}`
            : null,
          tracked: v.inventory_management === "shopify",
          inventoryPolicy: String(v.inventory_policy ?? "deny").toUpperCase(),
          available: Number(v.inventory_quantity ?? 0),
          shopifyUpdatedAt: updatedAt,
        };
        const known = await tx.variantInventory.findUnique({ where: { id }, select: { shopifyUpdatedAt: true } });
        if (!known) await tx.variantInventory.create({ data: { id, ...data } });
        else if (updatedAt >= known.shopifyUpdatedAt) await tx.variantInventory.update({ where: { id }, data });
      }
      return true;
    },
  };
};

const inventoryLevels: Handler = async (event, payload) => {
  const itemId = `gid://shopify/InventoryItem/${rawId(event.body, "inventory_item_id")}`;
  const updatedAt = new Date(payload.updated_at);
  return {
    orders: [],
    apply: async (tx) => {
      await tx.variantInventory.updateMany({
        where: { inventoryItemId: itemId, shopifyUpdatedAt: { lte: updatedAt } },
        data: { available: Number(payload.available ?? 0), shopifyUpdatedAt: updatedAt },
      });
      return true;
    },
  };
};

const appUninstalled: Handler = async (event) => ({
  orders: [],
  apply: async (tx) => {
    await tx.session.deleteMany({ where: { shop: event.shop } });
    await tx.shop.updateMany({ where: { domain: event.shop }, data: { uninstalledAt: when(event) } });
    return true;
  },
});

const scopesUpdate: Handler = async (event, payload) => ({
  orders: [],
  apply: async (tx) => {
    const current = Array.isArray(payload.current) ? payload.current.join(",") : null;
    if (current) await tx.session.updateMany({ where: { shop: event.shop }, data: { scope: current } });
    return true;
  },
});

export const HANDLERS: Record<string, Handler> = {
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
  "products/create": products,
  "products/update": products,
  "inventory_levels/update": inventoryLevels,
  "app/uninstalled": appUninstalled,
  "app/scopes_update": scopesUpdate,
  "customers/data_request": async (event, payload) => ({
    orders: [],
    apply: (tx) => exportCustomerData(tx, event.shop, payload).then(() => true),
  }),
  "customers/redact": async (event, payload) => ({
    orders: [],
    apply: (tx) => redactCustomer(tx, event.shop, payload, event.id).then(() => true),
  }),
  "shop/redact": async (event) => ({
    orders: [],
    apply: (tx) => redactShop(tx, event.shop, event.id).then(() => true),
  }),
};
