import { createHmac, timingSafeEqual } from "node:crypto";
import { Prisma, type PrismaClient, type WebhookEvent } from "@prisma/client";
import prisma from "../db.server";
import { providerOf } from "../db-url";
import { env } from "../env.server";

/** After this many failed attempts an event is dead-lettered (listed, replayable). */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000, 1_000 * 2 ** (attempts - 1));
}

/** Shopify's webhook HMAC: base64 HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function validHmac(rawBody: string, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const text = (message: string, status: number) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * POST /webhooks: verify, store, acknowledge. Nothing else happens here: the
 * 200 means the event is durable in the inbox and will be processed.
 */
export async function ingestWebhook(
  request: Request,
  db: PrismaClient = prisma,
  secret = env().SHOPIFY_API_SECRET,
): Promise<Response> {
  const body = await request.text();
  if (!validHmac(body, request.headers.get("x-shopify-hmac-sha256"), secret)) {
    return text("Unauthorized: missing or invalid X-Shopify-Hmac-Sha256", 401);
  }
  const webhookId = request.headers.get("x-shopify-webhook-id");
  const topic = request.headers.get("x-shopify-topic");
  const shop = request.headers.get("x-shopify-shop-domain");
  if (!webhookId || !topic || !shop) {
    return text("Bad request: X-Shopify-Webhook-Id, X-Shopify-Topic and X-Shopify-Shop-Domain are required", 400);
  }
  try {
    JSON.parse(body);
  } catch {
    console.warn(`webhook ${webhookId} (${topic} from ${shop}) has a valid HMAC but is not JSON; refused`);
    return text("Bad request: the body is not JSON", 400);
  }
  const triggered = request.headers.get("x-shopify-triggered-at");
  try {
    await db.webhookEvent.create({
      data: {
        webhookId,
        shop,
        topic,
        body,
        apiVersion: request.headers.get("x-shopify-api-version"),
        eventId: request.headers.get("x-shopify-event-id"),
        triggeredAt: triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null,
      },
    });
  } catch (error) {
    // A redelivery of a webhook already stored: acknowledged, nothing to do.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
  return text("OK", 200);
}

/** Store an event that did not come over HTTP (reconciliation's order snapshots). A known id is a no-op. */
export async function enqueue(
  db: PrismaClient,
  event: { webhookId: string; shop: string; topic: string; body: string; triggeredAt?: Date },
): Promise<boolean> {
  try {
    await db.webhookEvent.create({ data: event });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

/**
 * Claim up to `limit` due events for this worker for `leaseMs`. On PostgreSQL,
 * rows locked by another worker are skipped (FOR UPDATE SKIP LOCKED); SQLite
 * serialises writers, so a conditional UPDATE claims each row for one worker only.
 */
export async function claimEvents(
  db: PrismaClient,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
): Promise<WebhookEvent[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const url = env().DATABASE_URL;
  if (providerOf(url) === "postgresql") {
    return db.$queryRaw<WebhookEvent[]>`
      UPDATE "WebhookEvent" SET "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}
      WHERE "id" IN (
        SELECT "id" FROM "WebhookEvent"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY "receivedAt", "id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`;
  }
  // A conditional update claims each row for exactly one worker; then read back what this worker got.
  const due = {
    status: "pending",
    nextAttemptAt: { lte: now },
    OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
  };
  const candidates = await db.webhookEvent.findMany({
    where: due,
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true },
  });
  if (!candidates.length) return [];
  await db.webhookEvent.updateMany({
    where: { ...due, id: { in: candidates.map((c) => c.id) } },
    data: { lockedBy: workerId, lockedUntil: leaseUntil },
  });
  return db.webhookEvent.findMany({
    where: { lockedBy: workerId, lockedUntil: leaseUntil, status: "pending" },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
  });
}

export type Tx = Prisma.TransactionClient;

/** Mark done inside the transaction that applied the event, so applying and finishing commit together. */
export async function markDone(tx: Tx, event: WebhookEvent, workerId: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.webhookEvent.updateMany({
    where: { id: event.id, lockedBy: workerId, status: "pending" },
    data: { status: "done", processedAt: now, lockedBy: null, lockedUntil: null, attempts: { increment: 1 } },
  });
  return count === 1;
}

export async function markFailed(
  db: PrismaClient,
  event: WebhookEvent,
  workerId: string,
  error: unknown,
  now = new Date(),
): Promise<void> {
  const attempts = event.attempts + 1;
  const dead = attempts >= MAX_ATTEMPTS;
  await db.webhookEvent.updateMany({
    where: { id: event.id, lockedBy: workerId },
    data: {
      attempts,
      status: dead ? "dead" : "pending",
      lastError: String(error instanceof Error ? (error.stack ?? error.message) : error).slice(0, 4000),
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      lockedBy: null,
      lockedUntil: null,
    },
  });
}

export function deadLetters(db: PrismaClient, shop?: string) {
  return db.webhookEvent.findMany({
    where: { status: "dead", ...(shop ? { shop } : {}) },
    orderBy: { receivedAt: "desc" },
    take: 200,
  });
}

/** Put dead events back in the queue for another round of attempts. */
export async function replay(db: PrismaClient, ids: string[]): Promise<number> {
  const { count } = await db.webhookEvent.updateMany({
    where: { id: { in: ids }, status: "dead" },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null },
  });
  return count;
}
