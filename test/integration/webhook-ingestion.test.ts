import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { stubAppEnv } from "../support/app-env";
import type * as Inbox from "../../app/services/inbox/webhook-inbox.server";
import type * as Db from "../../app/db.server";

const SECRET = "ingestion-secret";
const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "policy-guard-ingestion-"));
const databaseUrl = `file:${join(dir, "app.sqlite")}`;

let inbox: typeof Inbox;
let prisma: (typeof Db)["default"];
beforeAll(async () => {
  await deployMigrations(databaseUrl);
  stubAppEnv(databaseUrl, { SHOPIFY_API_SECRET: SECRET });
  inbox = await import("../../app/services/inbox/webhook-inbox.server");
  prisma = (await import("../../app/db.server")).default;
});
afterAll(async () => {
  await prisma?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const sign = (body: Uint8Array | string) => createHmac("sha256", SECRET).update(body).digest("base64");
const headers = (body: Uint8Array | string, id: string, overrides: Record<string, string> = {}) => ({
  "x-shopify-hmac-sha256": sign(body),
  "x-shopify-webhook-id": id,
  "x-shopify-topic": "orders/create",
  "x-shopify-shop-domain": "ingestion.myshopify.com",
  ...overrides,
});
const post = (body: BodyInit, head: Record<string, string>, init: RequestInit = {}) =>
  inbox.ingestWebhook(new Request("http://localhost/webhooks", { method: "POST", body, headers: head, ...init }));

/** A body of `chunks` MiB produced on demand, counting what has been pulled and whether it was cancelled. */
function lazyBody(chunks: number) {
  const state = { pulled: 0, cancelled: false, done: false };
  const chunk = new Uint8Array(MiB).fill(0x30);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === chunks) {
          state.done = true;
          return controller.close();
        }
        state.pulled++;
        controller.enqueue(chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("the HMAC", () => {
  it("is computed over the raw bytes: a signature over one body does not admit other bytes that decode alike", async () => {
    // Shopify signed a body holding U+FFFD (bytes EF BF BD); the same text decodes from a lone 0xFF.
    const signed = Buffer.from('{"id":1,"note":"\uFFFD"}', "utf8");
    const forged = Buffer.concat([Buffer.from('{"id":1,"note":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    const response = await post(forged, headers(signed, "raw-bytes-forged"));
    expect(response.status).toBe(401);
    expect(await prisma.webhookEvent.count({ where: { webhookId: "raw-bytes-forged" } })).toBe(0);
    expect((await post(signed, headers(signed, "raw-bytes-signed"))).status).toBe(200);
  });

  it("refuses a validly signed body that is not UTF-8 with 400, storing nothing", async () => {
    const body = Buffer.concat([Buffer.from('{"id":1,"note":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const response = await post(body, headers(body, "not-utf8"));
    expect(response.status).toBe(400);
    expect(await prisma.webhookEvent.count({ where: { webhookId: "not-utf8" } })).toBe(0);
  });

  it("accepts only the canonical base64 of the 32-byte digest", async () => {
    const body = JSON.stringify({ id: 2 });
    const good = sign(body);
    const url = good.replace(/\+/g, "-").replace(/\//g, "_");
    const variants = {
      base64url: url === good ? null : url,
      unpadded: good.replace(/=+$/, ""),
      "base64url unpadded": url.replace(/=+$/, ""),
      "trailing junk": `${good}junk`,
      "trailing padding": `${good}==`,
      "inner whitespace": `${good.slice(0, 20)} ${good.slice(20)}`,
      "two headers": `${good}, ${good}`,
      hex: createHmac("sha256", SECRET).update(body).digest("hex"),
      truncated: Buffer.from(createHmac("sha256", SECRET).update(body).digest().subarray(0, 31)).toString("base64"),
    };
    for (const [name, header] of Object.entries(variants)) {
      if (header === null) continue;
      const response = await post(body, headers(body, `hmac-${name}`, { "x-shopify-hmac-sha256": header }));
      expect(response.status, name).toBe(401);
    }
    expect(inbox.validHmac(body, good, SECRET)).toBe(true);
    expect(await prisma.webhookEvent.count({ where: { webhookId: { startsWith: "hmac-" } } })).toBe(0);
  });

  it("a signature whose base64url form differs from base64 is refused in that form", () => {
    // Find a body whose digest's base64 holds + or / (most do), to make the base64url case real.
    let body = "";
    for (let i = 0; ; i++) {
      body = JSON.stringify({ id: i });
      if (/[+/]/.test(sign(body))) break;
    }
    const url = sign(body).replace(/\+/g, "-").replace(/\//g, "_");
    expect(inbox.validHmac(body, sign(body), SECRET)).toBe(true);
    expect(inbox.validHmac(body, url, SECRET)).toBe(false);
  });
});

describe("a redelivery", () => {
  it("with the same id and a different body is logged without its body, answered 200, and changes nothing stored", async () => {
    const first = JSON.stringify({ id: 3, email: "first.buyer@example.com" });
    const second = JSON.stringify({ id: 3, email: "someone.else@example.com", total: "9.99" });
    expect((await post(first, headers(first, "redelivered"))).status).toBe(200);
    const stored = await prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "redelivered" } });

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect((await post(first, headers(first, "redelivered"))).status).toBe(200);
      expect(warn).not.toHaveBeenCalled();
      const again = await post(second, headers(second, "redelivered", { "x-shopify-topic": "orders/updated" }));
      expect(again.status).toBe(200);
      expect(warn).toHaveBeenCalledTimes(1);
      const logged = warn.mock.calls.flat().map(String).join(" ");
      expect(logged).toMatch(/redelivered/);
      expect(logged).toMatch(/different body, topic/);
      expect(logged).not.toMatch(/example\.com|9\.99/);
      expect(logged).not.toContain(SECRET);
      expect(logged).not.toContain(sign(second));
    } finally {
      warn.mockRestore();
    }
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { webhookId: "redelivered" } })).toEqual(stored);
  });
});

describe("the Remix route's ingestion (ingestWebhook)", () => {
  it("answers 413 once the streamed body passes the limit, having buffered no more than the limit, and drops the rest", async () => {
    const { stream, state } = lazyBody(100);
    const response = await post(stream, { "content-type": "application/json" }, { duplex: "half" } as RequestInit);
    const pulledAtAnswer = state.pulled;
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/too large/i);
    // The answer does not wait for the body (a few chunks may be dropped before it is returned).
    expect(pulledAtAnswer).toBeLessThan(inbox.WEBHOOK_BODY_LIMIT / MiB + 16);
    // The rest is read and dropped (so the client can read the answer), up to the discard limit.
    await vi.waitFor(() => expect(state.cancelled || state.done).toBe(true), { timeout: 20_000, interval: 10 });
    expect(state.pulled).toBeLessThanOrEqual((inbox.WEBHOOK_BODY_LIMIT + inbox.DISCARD_LIMIT) / MiB + 3);
  });

  it("answers 413 to a declared Content-Length over the limit without waiting for the body", async () => {
    // A client that sends one chunk and then stalls: reading towards the limit would never finish.
    let pulls = 0;
    const stalled = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => (pulls++ === 0 ? controller.enqueue(new Uint8Array(MiB)) : new Promise(() => {})),
      },
      { highWaterMark: 0 },
    );
    const response = await post(stalled, { "content-length": String(100 * MiB) }, {
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/too large/i);
  });

  it("answers 405 to other methods without storing", async () => {
    const body = JSON.stringify({ id: 4 });
    const response = await post(body, headers(body, "put-method"), { method: "PUT" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await prisma.webhookEvent.count({ where: { webhookId: "put-method" } })).toBe(0);
  });
});
