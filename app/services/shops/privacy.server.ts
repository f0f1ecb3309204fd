import type { Prisma, PrismaClient, WebhookEvent } from "@prisma/client";
import { providerOf } from "../../db-url";
import { env } from "../../env.server";
import { WaitForEarlierEvents } from "../inbox/webhook-errors.server";
import type { Tx } from "../inbox/webhook-inbox.server";
import { parseJsonExact, type CustomerRedactPayload, type DataRequestPayload } from "../inbox/webhook-payloads.server";

// A stored webhook's payload, compared field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payload = Record<string, any>;

const REDACTED_BODY = JSON.stringify({ redacted: true });

/** Who a customers/* request is about, exactly as its signed payload says. */
interface Customer {
  shop: string;
  /** Shopify's id (its digits) and gid. */
  id: string;
  gid: string;
  email: string | null;
  /** orders_to_redact, as gids. */
  orders: string[];
}

function customerOf(shop: string, payload: DataRequestPayload, ordersToRedact: string[] = []): Customer {
  const { id, email } = payload.customer;
  return {
    shop,
    id,
    gid: `gid://shopify/Customer/${id}`,
    email: email || null,
    orders: ordersToRedact.map((order) => `gid://shopify/Order/${order}`),
  };
}

/** The customer's orders: by customer id or email (both exact), and those Shopify lists to redact. */
function ordersWhere(customer: Customer, withListed = true): Prisma.OrderWhereInput {
  const or: Prisma.OrderWhereInput[] = [{ customerId: customer.gid }];
  if (customer.email) or.push({ email: customer.email });
  if (withListed && customer.orders.length) or.push({ id: { in: customer.orders } });
  return { shop: customer.shop, OR: or };
}

function exportsWhere(customer: Customer): Prisma.DataExportWhereInput {
  const or: Prisma.DataExportWhereInput[] = [{ customerId: customer.gid }];
  if (customer.email) or.push({ email: customer.email });
  return { shop: customer.shop, OR: or };
}

/** What names the customer in a stored webhook: their orders, and the fulfillments, refunds and returns of those. */
interface Mentions {
  orders: Set<string>;
  refs: Set<string>;
}

async function mentionsOf(db: Tx | PrismaClient, customer: Customer): Promise<Mentions> {
  const orders = await db.order.findMany({
    where: ordersWhere(customer),
    select: { id: true, events: { select: { ref: true } } },
  });
  return {
    orders: new Set([...orders.map((o) => o.id), ...customer.orders]),
    refs: new Set(orders.flatMap((o) => o.events.map((e) => e.ref)).filter(Boolean)),
  };
}

const lastDigits = (gid: string) => gid.split("/").pop()!;

/** Whether a stored webhook's parsed payload names the customer: compared field by field, never as a substring. */
function namesCustomer(row: Pick<WebhookEvent, "body" | "subject">, customer: Customer, mentions: Mentions): boolean {
  if (row.subject && mentions.orders.has(row.subject)) return true;
  let payload: Payload;
  try {
    payload = parseJsonExact(row.body) as Payload;
  } catch {
    return false;
  }
  if (!payload || typeof payload !== "object") return false;
  const named = payload.customer;
  if (named?.id != null && String(named.id) === customer.id) return true;
  if (named?.admin_graphql_api_id === customer.gid) return true;
  if (customer.email && [payload.email, payload.contact_email, named?.email].includes(customer.email)) return true;
  return mentions.refs.has(payload.admin_graphql_api_id) || mentions.refs.has(payload.return?.admin_graphql_api_id);
}

/** The shop's stored webhooks that name the customer, among those `where` selects. */
async function webhooksOf(
  db: Tx | PrismaClient,
  customer: Customer,
  mentions: Mentions,
  where: Prisma.WebhookEventWhereInput,
): Promise<Array<Pick<WebhookEvent, "id" | "nextAttemptAt">>> {
  // A superset, found with indexes and LIKE; then each candidate is checked exactly.
  const near: Prisma.WebhookEventWhereInput[] = [{ subject: { in: [...mentions.orders] } }];
  if (customer.email) near.push({ body: { contains: customer.email } });
  near.push({ body: { contains: customer.id } });
  for (const ref of mentions.refs) near.push({ body: { contains: lastDigits(ref) } });
  const candidates = await db.webhookEvent.findMany({
    where: { AND: [{ shop: customer.shop }, where, { OR: near }] },
    select: { id: true, body: true, subject: true, nextAttemptAt: true },
  });
  return candidates.filter((row) => namesCustomer(row, customer, mentions));
}

/** Events of the shop received before the request (in the order the inbox claims them), not processed yet. */
const receivedBefore = (request: WebhookEvent): Prisma.WebhookEventWhereInput => ({
  status: "pending",
  id: { not: request.id },
  OR: [{ receivedAt: { lt: request.receivedAt } }, { receivedAt: request.receivedAt, id: { lt: request.id } }],
});

/**
 * A redaction erases what the events received before it stored, so it waits until
 * they have been processed: an unprocessed event's data is never deleted, and
 * applied after the redaction it would bring the data back.
 */
function waitFor(events: Array<Pick<WebhookEvent, "nextAttemptAt">>, whose: string, now: Date): void {
  if (!events.length) return;
  const soonest = Math.min(...events.map((e) => e.nextAttemptAt.getTime()));
  throw new WaitForEarlierEvents(
    `waiting for ${events.length} earlier event(s) of ${whose} to be processed`,
    new Date(Math.max(soonest, now.getTime() + 1_000)),
  );
}

/** customers/data_request: everything the app holds on the customer, for the merchant to hand over. */
export async function exportCustomerData(tx: Tx, request: WebhookEvent, payload: DataRequestPayload): Promise<void> {
  const customer = customerOf(request.shop, payload);
  const orders = await tx.order.findMany({
    where: ordersWhere(customer, false),
    include: {
      lines: true,
      events: { orderBy: { occurredAt: "asc" } },
      deadlines: true,
      alerts: true,
      returns: { include: { lines: true, labels: true, photos: true } },
      warrantyClaims: true,
    },
  });
  await tx.dataExport.create({
    data: {
      shop: request.shop,
      customerId: customer.gid,
      email: customer.email,
      data: JSON.parse(
        JSON.stringify({ requestedAt: new Date().toISOString(), customer: payload.customer, orders }),
      ) as Prisma.InputJsonValue,
    },
  });
}

/** Throws WaitForEarlierEvents while events naming the customer, received before the request, are unprocessed. */
export async function customerRedactionCanApply(
  db: PrismaClient,
  request: WebhookEvent,
  payload: CustomerRedactPayload,
  now = new Date(),
): Promise<void> {
  const customer = customerOf(request.shop, payload, payload.orders_to_redact ?? []);
  const pending = await webhooksOf(db, customer, await mentionsOf(db, customer), receivedBefore(request));
  waitFor(pending, "this customer", now);
}

/**
 * customers/redact: delete the customer's orders (with their lines, timeline,
 * deadlines, alerts, returns and warranty claims), exports about them, and every processed webhook that
 * names them — matched exactly on the payload's customer id, email and orders —
 * and keep the request itself with its body erased.
 */
export async function redactCustomer(tx: Tx, request: WebhookEvent, payload: CustomerRedactPayload): Promise<void> {
  const customer = customerOf(request.shop, payload, payload.orders_to_redact ?? []);
  const mentions = await mentionsOf(tx, customer);
  const stored = await webhooksOf(tx, customer, mentions, { id: { not: request.id }, status: { not: "pending" } });
  await tx.order.deleteMany({ where: { shop: customer.shop, id: { in: [...mentions.orders] } } });
  await tx.dataExport.deleteMany({ where: exportsWhere(customer) });
  await tx.webhookEvent.deleteMany({ where: { id: { in: stored.map((row) => row.id) } } });
  await tx.webhookEvent.update({ where: { id: request.id }, data: { body: REDACTED_BODY, lastError: null } });
}

/** Throws WaitForEarlierEvents while events of the shop received before the request are unprocessed. */
export async function shopRedactionCanApply(db: PrismaClient, request: WebhookEvent, now = new Date()): Promise<void> {
  const pending = await db.webhookEvent.findMany({
    where: { shop: request.shop, ...receivedBefore(request) },
    select: { nextAttemptAt: true },
  });
  waitFor(pending, "this shop", now);
}

/** shop/redact (48 hours after uninstall): nothing of the shop remains but the erased request. */
export async function redactShop(tx: Tx, request: WebhookEvent): Promise<void> {
  const { shop } = request;
  await tx.order.deleteMany({ where: { shop } }); // with their lines, timelines, returns and warranty claims
  await tx.variantInventory.deleteMany({ where: { shop } });
  await tx.shopifyAction.deleteMany({ where: { shop } });
  await tx.settingsChange.deleteMany({ where: { shop } });
  await tx.inventoryAudit.deleteMany({ where: { shop } });
  await tx.dataExport.deleteMany({ where: { shop } });
  await tx.syncState.deleteMany({ where: { shop } });
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.deleteMany({ where: { domain: shop } });
  // Events received after the request and not processed yet are new: they are left to be applied.
  await tx.webhookEvent.deleteMany({ where: { shop, id: { not: request.id }, status: { not: "pending" } } });
  await tx.webhookEvent.update({ where: { id: request.id }, data: { body: REDACTED_BODY, lastError: null } });
}

const scrubOwed = new WeakSet<PrismaClient>();

/**
 * After a redaction has committed, nothing of what it deleted may stay readable in the
 * database files. SQLite zeroes deleted content as it frees it (secure_delete, set on
 * every connection), but the write-ahead log still holds the pages as they were written:
 * a TRUNCATE checkpoint copies the log into the database and empties it. When a reader
 * keeps the log busy, the checkpoint is owed and tried again after the next batch
 * (`required` false: only if owed).
 */
export async function scrubFreedSpace(db: PrismaClient, required = true): Promise<void> {
  if (!required && !scrubOwed.has(db)) return;
  if (providerOf(env().DATABASE_URL) !== "sqlite") return;
  const [result] = await db.$queryRawUnsafe<Array<{ busy: number | bigint }>>("PRAGMA wal_checkpoint(TRUNCATE)");
  if (Number(result?.busy ?? 0) === 0) {
    scrubOwed.delete(db);
    return;
  }
  scrubOwed.add(db);
  console.warn("after a redaction the write-ahead log could not be emptied yet (a reader holds it); trying again");
}
