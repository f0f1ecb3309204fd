import { randomUUID } from "node:crypto";
import {
  Prisma,
  type Order,
  type OrderAlert,
  type OrderDeadline,
  type OrderEvent,
  type OrderLine,
} from "@prisma/client";
import { RefusedEvent } from "../inbox/webhook-errors.server";
import type { Tx } from "../inbox/webhook-inbox.server";

export type CachedOrder = Order & {
  lines: OrderLine[];
  events: OrderEvent[];
  deadlines: OrderDeadline[];
  alerts: OrderAlert[];
};

type OrderFields = Prisma.OrderUncheckedUpdateInput;

/** Rows a statement inserts at most: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 500;

const EVENT_COLUMNS = ["id", "orderId", "kind", "ref", "occurredAt", "source"] as const;
const DEADLINE_COLUMNS = ["id", "orderId", "shop", "key", "rule", "dueAt", "projected", "settled", "actedAt"] as const;
const ALERT_COLUMNS = ["id", "orderId", "shop", "kind", "rule", "since", "createdAt"] as const;
const LINE_COLUMNS = [
  "id",
  "orderId",
  "variantId",
  "productId",
  "title",
  "quantity",
  "unitPriceCents",
  "wristSize",
  "compareAtCents",
  "productTags",
  "taxCents",
] as const;

/** What a transaction's cache holds, shared by its per-shop views. */
class CacheState {
  readonly orders = new Map<string, CachedOrder | null>();
  readonly newEvents = new Set<OrderEvent>();
  readonly newDeadlines = new Set<OrderDeadline>();
  readonly newAlerts = new Set<OrderAlert>();
  readonly changedOrders = new Map<string, OrderFields>();
}

/**
 * The orders a transaction works on, read once (a few queries for a whole batch)
 * and kept equal to what the transaction has written. New timeline events,
 * deadlines and alerts, and changes to order fields, are held and written at
 * `flush()` as a few multi-row statements: most webhooks of a batch touch the
 * same handful of orders, and a write per row is what made processing slow.
 *
 * An event is applied through `forShop(shop)`, a view of the same cache that only
 * reaches that shop's orders: Shopify signs a webhook's body, not the header naming
 * the shop, so an event naming another shop's order is refused, never applied to it.
 */
export class OrderCache {
  constructor(
    readonly tx: Tx,
    private readonly now = new Date(),
    /** The only shop whose orders this view reaches; null for the whole transaction's. */
    readonly shop: string | null = null,
    private readonly state = new CacheState(),
  ) {}

  /** The same cache, limited to one shop's orders. */
  forShop(shop: string): OrderCache {
    return new OrderCache(this.tx, this.now, shop, this.state);
  }

  private ownOrThrow(order: CachedOrder | null | undefined, id: string): void {
    if (order && this.shop !== null && order.shop !== this.shop)
      throw new RefusedEvent(`order ${id} is not an order of ${this.shop}`);
  }

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.state.orders.has(id));
    if (!missing.length) return;
    const rows = await this.tx.order.findMany({
      where: { id: { in: missing } },
      include: { lines: true, events: true, deadlines: true, alerts: true },
    });
    for (const id of missing) this.state.orders.set(id, null);
    for (const row of rows) this.state.orders.set(row.id, row);
  }

  /** The order as this transaction sees it, or null. */
  async get(id: string): Promise<CachedOrder | null> {
    if (!this.state.orders.has(id)) await this.load([id]);
    const order = this.state.orders.get(id)!;
    this.ownOrThrow(order, id);
    return order;
  }

  async require(id: string): Promise<CachedOrder> {
    const order = await this.get(id);
    if (!order) throw new Error(`order ${id} is not stored`);
    return order;
  }

  /** The order if this transaction has read it already; no query. */
  peek(id: string): CachedOrder | undefined {
    const order = this.state.orders.get(id) ?? undefined;
    return order && (this.shop === null || order.shop === this.shop) ? order : undefined;
  }

  async createOrder(data: Prisma.OrderUncheckedCreateInput): Promise<CachedOrder> {
    if (this.shop !== null && data.shop !== this.shop)
      throw new RefusedEvent(`order ${data.id} is not an order of ${this.shop}`);
    const order = { ...(await this.tx.order.create({ data })), lines: [], events: [], deadlines: [], alerts: [] };
    this.state.orders.set(order.id, order);
    return order;
  }

  updateOrder(order: CachedOrder, data: Partial<Order>): void {
    Object.assign(order, data);
    this.state.changedOrders.set(order.id, { ...this.state.changedOrders.get(order.id), ...(data as OrderFields) });
  }

  /** Lines are written at once: oversell checks of other orders query them. */
  async replaceLines(order: CachedOrder, lines: Omit<OrderLine, "orderId">[]): Promise<void> {
    if (order.lines.length) await this.tx.orderLine.deleteMany({ where: { orderId: order.id } });
    order.lines = lines.map((line) => ({ ...line, orderId: order.id }));
    await this.insert("OrderLine", LINE_COLUMNS, new Set(order.lines));
  }

  addEvent(order: CachedOrder, data: Omit<OrderEvent, "id" | "orderId">): void {
    const event = { id: randomUUID(), orderId: order.id, ...data };
    order.events.push(event);
    this.state.newEvents.add(event);
  }

  async updateEvent(event: OrderEvent, data: Pick<OrderEvent, "occurredAt" | "source">): Promise<void> {
    if (!this.state.newEvents.has(event)) await this.tx.orderEvent.update({ where: { id: event.id }, data });
    Object.assign(event, data);
  }

  async deleteEvent(order: CachedOrder, event: OrderEvent): Promise<void> {
    if (!this.state.newEvents.delete(event)) await this.tx.orderEvent.delete({ where: { id: event.id } });
    order.events.splice(order.events.indexOf(event), 1);
  }

  addDeadline(order: CachedOrder, data: Omit<OrderDeadline, "id" | "orderId" | "shop" | "actedAt">): void {
    const deadline = { id: randomUUID(), orderId: order.id, shop: order.shop, actedAt: null, ...data };
    order.deadlines.push(deadline);
    this.state.newDeadlines.add(deadline);
  }

  async updateDeadline(deadline: OrderDeadline, data: Partial<OrderDeadline>): Promise<void> {
    if (!this.state.newDeadlines.has(deadline))
      await this.tx.orderDeadline.update({ where: { id: deadline.id }, data });
    Object.assign(deadline, data);
  }

  async deleteDeadlines(order: CachedOrder, stale: OrderDeadline[]): Promise<void> {
    const stored = stale.filter((d) => !this.state.newDeadlines.delete(d)).map((d) => d.id);
    if (stored.length) await this.tx.orderDeadline.deleteMany({ where: { id: { in: stored } } });
    order.deadlines = order.deadlines.filter((d) => !stale.includes(d));
  }

  addAlert(order: CachedOrder, data: Pick<OrderAlert, "kind" | "rule" | "since">): void {
    const alert = { id: randomUUID(), orderId: order.id, shop: order.shop, createdAt: this.now, ...data };
    order.alerts.push(alert);
    this.state.newAlerts.add(alert);
  }

  /** Write order field changes now: a query about other orders is about to read them. */
  async flushOrders(): Promise<void> {
    for (const [id, data] of this.state.changedOrders) await this.tx.order.update({ where: { id }, data });
    this.state.changedOrders.clear();
  }

  /** Write everything held. Call before the transaction commits. */
  async flush(): Promise<void> {
    await this.flushOrders();
    await this.insert("OrderEvent", EVENT_COLUMNS, this.state.newEvents);
    await this.insert("OrderDeadline", DEADLINE_COLUMNS, this.state.newDeadlines);
    await this.insert("OrderAlert", ALERT_COLUMNS, this.state.newAlerts);
  }

  private async insert<Row extends Record<string, unknown>>(
    table: string,
    columns: readonly (keyof Row & string)[],
    rows: Set<Row>,
  ): Promise<void> {
    const all = [...rows];
    rows.clear();
    const names = Prisma.raw(columns.map((c) => `"${c}"`).join(", "));
    for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
      const values = all
        .slice(i, i + ROWS_PER_INSERT)
        .map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c]))})`);
      await this.tx.$executeRaw`INSERT INTO ${Prisma.raw(`"${table}"`)} (${names}) VALUES ${Prisma.join(values)}`;
    }
  }
}
