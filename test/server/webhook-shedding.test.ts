import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { appBuild } from "../support/app-build";
import { stubAppEnv } from "../support/app-env";
import { startProductionServer, type RunningServer } from "../support/server";
import type * as Inbox from "../../app/services/inbox/webhook-inbox.server";
import type * as Db from "../../app/db.server";

const SECRET = "shedding-secret";
const dir = mkdtempSync(join(tmpdir(), "policy-guard-shedding-"));
const serverDatabase = join(dir, "server.sqlite");
const localDatabase = join(dir, "local.sqlite");

let server: RunningServer;
let inbox: typeof Inbox;
let prisma: (typeof Db)["default"];
beforeAll(async () => {
  const buildDir = await appBuild();
  await deployMigrations(`file:${serverDatabase}`);
  await deployMigrations(`file:${localDatabase}`);
  // One delivery in flight at a time: a second one arriving meanwhile is over the bound.
  server = await startProductionServer(
    {
      SHOPIFY_API_KEY: "test-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://policy-guard.example.com",
      SCOPES: "read_orders",
      DATABASE_URL: `file:${serverDatabase}`,
      WEBHOOK_WORKER: "off",
      WEBHOOK_MAX_IN_FLIGHT: "1",
    },
    buildDir,
  );
  stubAppEnv(`file:${localDatabase}`, { SHOPIFY_API_SECRET: SECRET });
  inbox = await import("../../app/services/inbox/webhook-inbox.server");
  prisma = (await import("../../app/db.server")).default;
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const body = JSON.stringify({ id: 1, admin_graphql_api_id: "gid://shopify/Order/1", name: "#1001" });
const headers = (id: string) => ({
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(body)),
  "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
  "x-shopify-webhook-id": id,
  "x-shopify-topic": "orders/create",
  "x-shopify-shop-domain": "shedding.myshopify.com",
});

interface Answer {
  status: number;
  retryAfter?: string;
  text: string;
}

const read = (res: IncomingMessage) =>
  new Promise<Answer>((resolve) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => (text += chunk));
    res.on("end", () => resolve({ status: res.statusCode!, retryAfter: res.headers["retry-after"], text }));
  });

/**
 * A delivery that is admitted and then held: it asks for 100 Continue, which the server sends
 * as it admits it, and sends its body only when `finish` is called.
 */
async function heldDelivery(id: string) {
  const { port } = new URL(server.url);
  const req = request({
    host: "127.0.0.1",
    port,
    path: "/webhooks",
    method: "POST",
    headers: { ...headers(id), expect: "100-continue" },
  });
  const answer = new Promise<Answer>((resolve) => req.on("response", (res) => void read(res).then(resolve)));
  req.flushHeaders();
  await new Promise<void>((resolve) => req.once("continue", () => resolve()));
  return { finish: () => (req.end(body), answer) };
}

async function deliver(id: string): Promise<Answer> {
  const response = await fetch(`${server.url}/webhooks`, { method: "POST", headers: headers(id), body });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after") ?? undefined,
    text: await response.text(),
  };
}

function storedCount(id: string): number {
  const db = new Database(serverDatabase, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM WebhookEvent WHERE webhookId = ?").get(id) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("load shedding at the production server's webhook endpoint", () => {
  it("answers a delivery over the admission bound 503 with Retry-After and stores nothing; the admitted one gets 200 once stored", async () => {
    const held = randomUUID();
    const shed = randomUUID();
    const after = randomUUID();
    const admitted = await heldDelivery(held);

    const refused = await deliver(shed);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.text).toMatch(/busy; nothing was stored, deliver again later/);
    expect(storedCount(shed)).toBe(0);

    expect((await admitted.finish()).status).toBe(200);
    expect(storedCount(held)).toBe(1);
    // The slot is free again, and the shed delivery, delivered again, is stored once.
    expect((await deliver(after)).status).toBe(200);
    expect((await deliver(shed)).status).toBe(200);
    expect(storedCount(after)).toBe(1);
    expect(storedCount(shed)).toBe(1);
    expect(server.output()).toMatch(/webhooks: shed 1 deliveries with 503 Retry-After \(last over its bound: inFlight/);
  });
});

describe("the inbox writer beside another transaction on the one SQLite connection", () => {
  const raw = (id: string) => ({
    body,
    header: (name: string) => (headers(id) as Record<string, string>)[name.toLowerCase()] ?? null,
  });
  const row = (id: string) => ({ webhookId: id, shop: "shedding.myshopify.com", topic: "orders/create", body });

  /** A transaction (as the worker's) that has written and is held open until `end` rolls it back. */
  async function openTransaction() {
    let end = () => {};
    let started = () => {};
    const isOpen = new Promise<void>((resolve) => (started = resolve));
    const done = prisma
      .$transaction(
        async (tx) => {
          await tx.webhookEvent.create({ data: row(randomUUID()) });
          started();
          await new Promise<void>((resolve) => (end = resolve));
          throw new Error("rolled back");
        },
        { timeout: 60_000 },
      )
      .catch(() => {});
    await isOpen;
    return { rollBack: () => (end(), done) };
  }

  it("acknowledges a delivery only once it is committed on its own: a rollback of the other transaction does not take it away", async () => {
    const id = randomUUID();
    const other = await openTransaction();
    let answered = false;
    const answer = inbox.ingest(raw(id), prisma, SECRET).then((result) => ((answered = true), result));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    await other.rollBack();
    expect((await answer).status).toBe(200);
    expect(await prisma.webhookEvent.count({ where: { webhookId: id } })).toBe(1);
  });

  it("refuses a batch that cannot start in time with 503 and Retry-After, storing nothing", async () => {
    const id = randomUUID();
    const other = await openTransaction();
    const writer = new inbox.InboxWriter(prisma, 500, 50);
    const answer = await inbox.ingest(raw(id), prisma, SECRET, writer);
    await other.rollBack();
    expect(answer).toEqual(inbox.BUSY);
    expect(answer.retryAfter).toBeGreaterThan(0);
    expect(await prisma.webhookEvent.count({ where: { webhookId: id } })).toBe(0);
  });
});
