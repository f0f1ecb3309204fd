import { createHmac, timingSafeEqual } from "node:crypto";
import { Prisma, type PrismaClient, type WebhookEvent } from "@prisma/client";
import prisma from "../../db.server";
import { databaseUnavailable } from "../../database.server";
import { providerOf } from "../../db-url";
import { env } from "../../env.server";
import { RefusedEvent, summarizeError } from "./webhook-errors.server";
import { webhookAdmission, type Admission } from "./webhook-admission.server";

/** After this many failed attempts an event is dead-lettered (listed, replayable). */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000, 1_000 * 2 ** (attempts - 1));
}

/** The largest webhook body accepted, in bytes; larger deliveries are answered 413 without being buffered. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

/** After refusing a body, this much more of it is read and dropped (so the client reads the answer) before the connection is closed. */
export const DISCARD_LIMIT = 64 * 1024 * 1024;

const SHA256_BYTES = 32;

/**
 * Shopify's webhook HMAC: HMAC-SHA256 of the raw body bytes with the app secret, sent as
 * base64. The header must be exactly the canonical base64 of 32 bytes (no base64url, no
 * missing or extra padding, no trailing characters); compared in constant time.
 */
export function validHmac(rawBody: Uint8Array | string, header: string | null, secret: string): boolean {
  if (!header) return false;
  const given = Buffer.from(header, "base64");
  if (given.length !== SHA256_BYTES || given.toString("base64") !== header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return timingSafeEqual(given, expected);
}

/** A webhook as it arrived: the raw body bytes and a header lookup (case-insensitive). */
export interface RawWebhook {
  body: Uint8Array | string;
  header(name: string): string | null;
}

export interface IngestResult {
  status: 200 | 400 | 401 | 405 | 413 | 503;
  message: string;
  /** Seconds, with a 503: when to deliver again. */
  retryAfter?: number;
}

/** How long a shed delivery is asked to wait (Shopify retries a failed delivery with its own backoff). */
export const RETRY_AFTER_SECONDS = 5;

/** The inbox or the server is over its load bound: nothing was stored, and Shopify delivers it again. */
export const BUSY: IngestResult = {
  status: 503,
  message: "Service Unavailable: the webhook inbox is busy; nothing was stored, deliver again later",
  retryAfter: RETRY_AFTER_SECONDS,
};

export const TOO_LARGE: IngestResult = {
  status: 413,
  message: `Payload Too Large: a webhook body is at most ${WEBHOOK_BODY_LIMIT} bytes; nothing was stored`,
};

export const NOT_POST: IngestResult = { status: 405, message: "Method Not Allowed: webhooks are POSTed" };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

type InboxRow = {
  webhookId: string;
  shop: string;
  topic: string;
  body: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  subject: string | null;
};

const isDuplicate = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Prisma's "unable to start a transaction in the given time": the transaction never began, so nothing was written. */
const isNotStarted = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2028";

/** The inbox could not take the delivery in time; nothing of it was stored and Shopify will deliver it again. */
export class InboxBusy extends Error {}

type StoredFields = Pick<InboxRow, "webhookId" | "shop" | "topic" | "body">;

/**
 * Group commit: deliveries arriving together are inserted in one transaction, and each
 * is acknowledged only once its batch is committed. A delivery whose id is stored already
 * (a redelivery) is a no-op: the stored event is kept, and a redelivery whose body, topic
 * or shop differs is logged.
 *
 * Always in an interactive transaction: on SQLite the app has one connection, and a plain
 * insert issued while the worker's transaction is open would run inside it (acknowledged
 * before it is committed, and gone if that transaction rolls back). A transaction waits its
 * turn, at most `maxWaitMs`; a batch that cannot start by then is refused (InboxBusy).
 */
export class InboxWriter {
  private queue: Array<{ row: InboxRow; done: (error?: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly maxBatch = 500,
    private readonly maxWaitMs = 2_000,
  ) {}

  write(row: InboxRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, done: (error) => (error ? reject(error) : resolve()) });
      this.schedule();
    });
  }

  /**
   * One batch at a time: what arrives while a batch commits goes into the next one, so
   * batches grow with the load instead of queueing for the connection one small one at a time.
   */
  private schedule(): void {
    if (this.scheduled || !this.queue.length) return;
    this.scheduled = true;
    setImmediate(
      () =>
        void this.flush().finally(() => {
          this.scheduled = false;
          this.schedule();
        }),
    );
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    // Another server on the same PostgreSQL database may insert one of these ids meanwhile: then once more.
    for (let attempt = 1; ; attempt++) {
      try {
        const known = await this.insertNew(batch.map((item) => item.row));
        for (const item of batch) item.done();
        for (const row of batch.map((item) => item.row)) this.compareWithStored(row, known.get(row.webhookId));
        return;
      } catch (error) {
        if (isDuplicate(error) && attempt < 3) continue;
        const refused = isNotStarted(error) ? new InboxBusy("the inbox is busy: nothing was stored") : error;
        for (const item of batch) item.done(refused);
        return;
      }
    }
  }

  /** Insert the rows whose ids are not stored yet, in one transaction; returns the stored ones it found. */
  private insertNew(rows: InboxRow[]): Promise<Map<string, StoredFields>> {
    return this.db.$transaction(
      async (tx) => {
        const known = new Map<string, StoredFields>();
        const stored = await tx.webhookEvent.findMany({
          where: { webhookId: { in: [...new Set(rows.map((row) => row.webhookId))] } },
          select: { webhookId: true, shop: true, topic: true, body: true },
        });
        for (const row of stored) known.set(row.webhookId, row);
        const fresh = new Map<string, InboxRow>();
        for (const row of rows)
          if (!known.has(row.webhookId) && !fresh.has(row.webhookId)) fresh.set(row.webhookId, row);
        if (fresh.size) await tx.webhookEvent.createMany({ data: [...fresh.values()] });
        // A second delivery of an id within this batch is compared with the first.
        for (const [id, row] of fresh) known.set(id, row);
        return known;
      },
      { maxWait: this.maxWaitMs, timeout: 10_000 },
    );
  }

  /** A webhook id names one event: say so when a redelivery carries something else (never the body itself). */
  private compareWithStored(row: InboxRow, stored: StoredFields | undefined): void {
    if (!stored || stored === row) return;
    const differs = (["body", "topic", "shop"] as const).filter((field) => stored[field] !== row[field]);
    if (!differs.length) return;
    console.warn(
      `webhook ${row.webhookId} was delivered again with a different ${differs.join(", ")} ` +
        `(stored: ${stored.topic} from ${stored.shop}, ${Buffer.byteLength(stored.body)} bytes; ` +
        `this delivery: ${row.topic} from ${row.shop}, ${Buffer.byteLength(row.body)} bytes); ` +
        `the stored event is kept and this delivery was acknowledged without being stored`,
    );
  }
}

const writers = new WeakMap<PrismaClient, InboxWriter>();
const writerFor = (db: PrismaClient) => {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new InboxWriter(db)));
  return writer;
};

const idPatterns = new Map<string, RegExp>();

/** Numeric ids read from the raw body: JSON numbers above 2^53 would lose precision. */
export function rawId(body: string, key: string): string | null {
  let pattern = idPatterns.get(key);
  if (!pattern) idPatterns.set(key, (pattern = new RegExp(`"${key}"\\s*:\\s*(\\d+)`)));
  return pattern.exec(body)?.[1] ?? null;
}

/** The order a webhook is about, when its payload names one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function orderSubject(topic: string, body: string, payload: Record<string, any>): string | null {
  if (topic.startsWith("orders/") || topic === "reconcile/order") {
    return typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : null;
  }
  if (typeof payload.order?.admin_graphql_api_id === "string") return payload.order.admin_graphql_api_id;
  const id = rawId(body, "order_id");
  return id ? `gid://shopify/Order/${id}` : null;
}

/**
 * Verify, store, acknowledge. Nothing else happens here: a 200 means the event
 * is durable in the inbox and will be processed; any other answer stored nothing.
 * The HMAC covers the body's bytes as received; only then is it decoded (strict UTF-8).
 */
export async function ingest(
  raw: RawWebhook,
  db: PrismaClient = prisma,
  secret = env().SHOPIFY_API_SECRET,
  writer: InboxWriter = writerFor(db),
): Promise<IngestResult> {
  const bytes = typeof raw.body === "string" ? Buffer.from(raw.body, "utf8") : raw.body;
  if (bytes.byteLength > WEBHOOK_BODY_LIMIT) return TOO_LARGE;
  if (!validHmac(bytes, raw.header("x-shopify-hmac-sha256"), secret)) {
    return { status: 401, message: "Unauthorized: missing or invalid X-Shopify-Hmac-Sha256" };
  }
  const webhookId = raw.header("x-shopify-webhook-id");
  const topic = raw.header("x-shopify-topic");
  const shop = raw.header("x-shopify-shop-domain");
  if (!webhookId || !topic || !shop) {
    return {
      status: 400,
      message: "Bad request: X-Shopify-Webhook-Id, X-Shopify-Topic and X-Shopify-Shop-Domain are required",
    };
  }
  if (INTERNAL_TOPICS.has(topic)) return { status: 400, message: `Bad request: ${topic} is not a Shopify topic` };
  let body: string;
  let payload: unknown;
  try {
    body = typeof raw.body === "string" ? raw.body : utf8.decode(bytes);
    payload = JSON.parse(body);
  } catch {
    console.warn(`webhook ${webhookId} (${topic} from ${shop}) has a valid HMAC but is not UTF-8 JSON; refused`);
    return { status: 400, message: "Bad request: the body is not JSON" };
  }
  const triggered = raw.header("x-shopify-triggered-at");
  const stored = writer.write({
    webhookId,
    shop,
    topic,
    body,
    apiVersion: raw.header("x-shopify-api-version"),
    eventId: raw.header("x-shopify-event-id"),
    triggeredAt: triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null,
    subject: payload && typeof payload === "object" ? orderSubject(topic, body, payload) : null,
  });
  try {
    await stored;
  } catch (error) {
    if (error instanceof InboxBusy) return BUSY;
    throw error;
  }
  return { status: 200, message: "OK" };
}

/** Read and drop the rest of a refused body, up to DISCARD_LIMIT bytes, so the client gets to read the answer. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DISCARD_LIMIT) return void (await reader.cancel());
    }
  } catch {
    // The client went away.
  }
}

/**
 * A request's body, read up to `limit` bytes (declared or streamed), or null when it is
 * larger: then the rest is dropped as it arrives, never buffered.
 */
export async function readBoundedBody(request: Request, limit = WEBHOOK_BODY_LIMIT): Promise<Uint8Array | null> {
  const reader = request.body?.getReader();
  if (Number(request.headers.get("content-length") ?? 0) > limit) {
    if (reader) void discard(reader);
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = reader ? await reader.read() : { done: true as const, value: undefined };
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > limit) {
      chunks.length = 0;
      void discard(reader!);
      return null;
    }
    chunks.push(value);
  }
}

/** Admit, read (bounded), verify and store one delivery. */
async function admitAndIngest(
  request: Request,
  db: PrismaClient,
  secret: string,
  admission: Admission,
): Promise<IngestResult> {
  const ticket = admission.admit();
  if (!ticket) {
    if (request.body) void discard(request.body.getReader());
    return BUSY;
  }
  try {
    const body = await readBoundedBody(request);
    if (!body) return TOO_LARGE;
    ticket.buffered(body.byteLength);
    ticket.received();
    return await ingest({ body, header: (name) => request.headers.get(name) }, db, secret);
  } finally {
    ticket.done();
  }
}

/**
 * POST /webhooks as a Fetch API handler (the Remix route): the same admission and bounded
 * ingestion as server.mjs's.
 */
export async function ingestWebhook(
  request: Request,
  db: PrismaClient = prisma,
  secret = env().SHOPIFY_API_SECRET,
  admission: Admission = webhookAdmission,
): Promise<Response> {
  const result = request.method === "POST" ? await admitAndIngest(request, db, secret, admission) : NOT_POST;
  return new Response(result.message, {
    status: result.status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      ...(result.status === 405 ? { Allow: "POST" } : {}),
      ...(result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {}),
    },
  });
}

/** Topics the app enqueues itself (`enqueue`): never accepted from outside. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(["reconcile/order", "carrier/tracker.updated"]);

/** Store an event that did not come over HTTP (reconciliation's order snapshots). A known id is a no-op. */
export async function enqueue(
  db: PrismaClient,
  event: { webhookId: string; shop: string; topic: string; body: string; triggeredAt?: Date },
): Promise<boolean> {
  try {
    await db.webhookEvent.create({
      data: { ...event, subject: orderSubject(event.topic, event.body, JSON.parse(event.body)) },
    });
    return true;
  } catch (error) {
    if (isDuplicate(error)) return false;
    throw error;
  }
}

/** Any constant: the advisory lock key PostgreSQL claims queue on. */
const CLAIM_LOCK = 7_240_113;

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
    // Claims take turns (a transaction-scoped advisory lock), so each sees the leases
    // the others hold and skips an order another worker is applying.
    const [, claimed] = await db.$transaction([
      db.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(${CLAIM_LOCK})`,
      db.$queryRaw<WebhookEvent[]>`
        UPDATE "WebhookEvent" SET "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}
        WHERE "id" IN (
          SELECT e."id" FROM "WebhookEvent" e
          WHERE e."status" = 'pending' AND e."nextAttemptAt" <= ${now}
            AND (e."lockedUntil" IS NULL OR e."lockedUntil" < ${now})
            AND (e."subject" IS NULL OR NOT EXISTS (
              SELECT 1 FROM "WebhookEvent" held
              WHERE held."subject" = e."subject" AND held."status" = 'pending'
                AND held."lockedBy" <> ${workerId} AND held."lockedUntil" >= ${now}))
          ORDER BY e."receivedAt", e."id"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING *`,
    ]);
    return claimed;
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

/** Mark done inside the transaction that applied the events, so applying and finishing commit together. */
export async function markDone(tx: Tx, ids: string[], workerId: string, now = new Date()): Promise<number> {
  const { count } = await tx.webhookEvent.updateMany({
    where: { id: { in: ids }, lockedBy: workerId, status: "pending" },
    data: { status: "done", processedAt: now, lockedBy: null, lockedUntil: null, attempts: { increment: 1 } },
  });
  return count;
}

/**
 * An attempt failed: the event is retried with backoff and dead-lettered after MAX_ATTEMPTS, or at once when
 * refused. A database that was unavailable is not the event's failure: it is tried again shortly, uncounted.
 */
export async function markFailed(
  db: PrismaClient,
  event: WebhookEvent,
  workerId: string,
  error: unknown,
  now = new Date(),
): Promise<void> {
  if (databaseUnavailable(error)) {
    // The database restarted or dropped the connection mid-way: not the event's fault, no attempt counted.
    const reason = summarizeError(error);
    console.warn(`webhook ${event.webhookId} (${event.topic} from ${event.shop}): database unavailable (${reason})`);
    await db.webhookEvent.updateMany({
      where: { id: event.id, lockedBy: workerId },
      data: {
        lastError: reason,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(1)),
        lockedBy: null,
        lockedUntil: null,
      },
    });
    return;
  }
  const attempts = event.attempts + 1;
  // Retrying a refused event cannot help: it is a dead letter at once.
  const dead = attempts >= MAX_ATTEMPTS || error instanceof RefusedEvent;
  // The whole error (queries, responses, stack) goes to the log; the row keeps its one-line summary.
  const what = `webhook ${event.webhookId} (${event.topic} from ${event.shop}), attempt ${attempts}${dead ? ", now a dead letter" : ""}`;
  if (error instanceof RefusedEvent) console.warn(`${what}: ${error.message}`);
  else console.error(`${what}:`, error);
  await db.webhookEvent.updateMany({
    where: { id: event.id, lockedBy: workerId },
    data: {
      attempts,
      status: dead ? "dead" : "pending",
      lastError: summarizeError(error),
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

/** Release a claimed event until it can be tried again, its attempts unchanged: it is not the event's fault. */
export async function putOff(
  db: PrismaClient,
  event: WebhookEvent,
  workerId: string,
  retryAt: Date,
  reason: string,
): Promise<void> {
  await db.webhookEvent.updateMany({
    where: { id: event.id, lockedBy: workerId, status: "pending" },
    data: { nextAttemptAt: retryAt, lockedBy: null, lockedUntil: null, lastError: reason },
  });
}
