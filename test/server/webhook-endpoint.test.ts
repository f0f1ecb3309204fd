import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { appBuild } from "../support/app-build";
import { startProductionServer, type RunningServer } from "../support/server";

const SECRET = "endpoint-secret";
const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), "policy-guard-endpoint-"));
const databaseUrl = `file:${join(dir, "app.sqlite")}`;

let server: RunningServer;
beforeAll(async () => {
  const buildDir = await appBuild();
  await deployMigrations(databaseUrl);
  server = await startProductionServer(
    {
      SHOPIFY_API_KEY: "test-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://policy-guard.example.com",
      SCOPES: "read_orders",
      DATABASE_URL: databaseUrl,
      WEBHOOK_WORKER: "off",
    },
    buildDir,
  );
}, 300_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The server's resident memory, current and peak, from /proc (Linux), in MiB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) / 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** Reset the peak (VmHWM) to the current resident size; false where the kernel does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

interface Outcome {
  status?: number;
  body?: string;
  error?: string;
  /** Whether the server sent 100 Continue. */
  continued: boolean;
}

/**
 * POST up to `chunks` MiB of unsigned zeros, one MiB at a time, and stop sending as soon as
 * an answer arrives (as a client reading while it sends does). Loopback only.
 */
function upload(
  path: string,
  { chunks, headers = {} }: { chunks: number; headers?: Record<string, string> },
): Promise<Outcome> {
  const { port } = new URL(server.url);
  const chunk = Buffer.alloc(MiB, 0x30);
  return new Promise((resolve) => {
    let answered = false;
    let continued = false;
    const outcome = (result: Omit<Outcome, "continued">) => resolve({ ...result, continued });
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-topic": "orders/create", ...headers },
    });
    // Wakes the sender when the socket drains or an answer (or the end) arrives.
    let wake = () => {};
    for (const event of ["drain", "response", "close", "continue"]) req.on(event, () => wake());
    const woken = () => new Promise<void>((r) => (wake = r));
    req.on("continue", () => (continued = true));
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text) => (body += text));
      res.on("end", () => {
        outcome({ status: res.statusCode, body });
        req.destroy();
      });
      res.on("error", (error) => outcome({ status: res.statusCode, error: String(error) }));
    });
    req.on("error", (error) => {
      if (!answered) outcome({ error: String(error) });
    });
    req.flushHeaders();
    void (async () => {
      if (headers.expect) await woken();
      for (let i = 0; i < chunks && !answered && !req.destroyed; i++) {
        if (!req.write(chunk)) await woken();
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

const PATHS = [
  "/webhooks",
  "/webhooks?shop=x",
  "/webhooks/",
  "/WEBHOOKS",
  "/%77ebhooks",
  "/webhooks.data",
  "/Webhooks/.data?_routes=routes%2Fwebhooks",
  "/x/../webhooks",
];

describe("the webhook endpoint of the production server", () => {
  it("refuses an oversized body with a readable 413 on every path Remix routes to the webhooks route, buffering at most the limit", async () => {
    await fetch(`${server.url}/webhooks`, { method: "POST", body: "{}" });
    const pid = server.process.pid!;
    const outcomes: Record<string, Outcome> = {};
    const growth: Record<string, number> = {};
    /** One upload, with how far the server's peak resident memory rose above its size before it (MiB). */
    const measured = async (name: string, path: string, options: Parameters<typeof upload>[1]) => {
      const reset = resetPeak(pid);
      const before = memory(pid);
      outcomes[name] = await upload(path, options);
      growth[name] = Math.round(memory(pid).peak - (reset ? before.rss : before.peak));
    };
    // 100 MiB, streamed without a Content-Length.
    for (const path of PATHS) await measured(path, path, { chunks: 100 });
    // Declared up front: refused before the body is read.
    await measured("declared", "/webhooks/", { chunks: 100, headers: { "content-length": String(100 * MiB) } });
    // Expect: 100-continue with a declared length over the limit: refused without asking for the body.
    await measured("expect-continue", "/WEBHOOKS", {
      chunks: 100,
      headers: { "content-length": String(100 * MiB), expect: "100-continue" },
    });
    console.log(`server peak resident memory growth per 100 MiB upload (MiB): ${JSON.stringify(growth)}`);
    const answers = Object.fromEntries(
      Object.entries(outcomes).map(([path, { status, body, error }]) => [path, error ?? `${status} ${body}`]),
    );
    expect(answers).toEqual(
      Object.fromEntries(Object.keys(outcomes).map((path) => [path, expect.stringMatching(/^413 .*too large/i)])),
    );
    expect(outcomes["expect-continue"]!.continued).toBe(false);
    // At most the 5 MiB limit is buffered, plus the socket's reads in flight.
    expect(Math.max(...Object.values(growth)), JSON.stringify(growth)).toBeLessThan(32);
    // The server still answers.
    const ok = await fetch(`${server.url}/webhooks`, { method: "POST", body: "{}" });
    expect(ok.status).toBe(401);
  }, 120_000);

  it("verifies the HMAC on every such path (the same ingestion, not the Remix route)", async () => {
    for (const path of PATHS) {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        body: "{}",
        headers: { "x-shopify-hmac-sha256": "bm90IGEgc2lnbmF0dXJl" },
      });
      expect(response.status, path).toBe(401);
      // The Remix route would answer single-fetch (turbo-stream) data for .data paths.
      expect(await response.text(), path).toBe("Unauthorized: missing or invalid X-Shopify-Hmac-Sha256");
    }
  });

  it("answers other methods on the webhook paths with 405 and never stores anything", async () => {
    for (const method of ["PUT", "PATCH", "DELETE", "GET"]) {
      const response = await fetch(`${server.url}/Webhooks/`, {
        method,
        ...(method === "GET" ? {} : { body: "{}" }),
      });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });

  it("refuses a request target or Host header from which the app would build another path", async () => {
    // Express + Remix build the URL as `http://${Host}${target}`: a target that is not a path,
    // or a Host holding a path, could land on the webhooks route without being recognised.
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(server.url);
        import("node:net").then(({ connect }) => {
          const socket = connect(Number(port), "127.0.0.1", () => socket.end(`${head}\r\nContent-Length: 2\r\n\r\n{}`));
          let answer = "";
          socket.on("data", (data) => (answer += data));
          socket.on("end", () => resolve(answer));
          socket.on("error", reject);
        }, reject);
      });
    const status = (answer: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);
    expect(status(await raw("POST \\webhooks HTTP/1.1\r\nHost: localhost\r\nConnection: close"))).toBe(400);
    expect(status(await raw("POST @x/webhooks HTTP/1.1\r\nHost: localhost\r\nConnection: close"))).toBe(400);
    expect(status(await raw("POST / HTTP/1.1\r\nHost: x/webhooks\r\nConnection: close"))).toBe(400);
    expect(status(await raw("POST /webhooks HTTP/1.1\r\nHost: localhost:3000\r\nConnection: close"))).toBe(401);
  });

  it("stores a signed delivery sent to a path variant", async () => {
    const body = JSON.stringify({ id: 1 });
    const response = await fetch(`${server.url}/%57ebhooks/`, {
      method: "POST",
      body,
      headers: {
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
        "x-shopify-webhook-id": "endpoint-variant-1",
        "x-shopify-topic": "app/scopes_update",
        "x-shopify-shop-domain": "variant.myshopify.com",
      },
    });
    expect(response.status).toBe(200);
  });
});
