/**
 * Webhook ack under load: the production server (npm start) on loopback with
 * signed payloads at 500 requests/s for 60 s (p99 target ≤ 25 ms, no errors),
 * then the maximum throughput of the app and of a bare node:http handler doing
 * the same HMAC check and SQLite insert (target: the app reaches half of it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { deployMigrations } from "../prisma/migrator";
import { spawnTypeScript } from "../test/support/processes";
import { openLoop } from "./open-loop";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-secret";
const quick = process.argv.includes("--quick");
const RATE = 500;
const RATE_SECONDS = quick ? 10 : 60;
const MAX_SECONDS = quick ? 5 : 15;

const body = readFileSync(join(ROOT, "test/fixtures/shopify/webhooks/orders_create.json"), "utf8");
const hmac = createHmac("sha256", SECRET).update(body, "utf8").digest("base64");

/** Shopify's headers, each delivery with its own webhook id. */
function webhookHeaders(): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Shopify-Captain-Hook",
    "x-shopify-topic": "orders/create",
    "x-shopify-hmac-sha256": hmac,
    "x-shopify-shop-domain": "bench.myshopify.com",
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
}

async function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = (chunk: Buffer) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    child.once("exit", () => reject(new Error(`server exited:\n${output}`)));
  });
}

/** Closed-loop maximum throughput: as many requests as `connections` keep in flight. */
function load(url: string, options: { seconds: number; connections: number }) {
  return autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: "POST",
        path: "/webhooks",
        body,
        setupRequest: (request) => ({ ...request, headers: webhookHeaders() }),
      },
    ],
  });
}

const dir = mkdtempSync(join(tmpdir(), "policy-guard-bench-"));
const results: Record<string, unknown> = {};
const stopAll: ChildProcess[] = [];
try {
  const databaseUrl = `file:${join(dir, "app.sqlite")}`;
  await deployMigrations(databaseUrl);
  const app = spawn(process.execPath, [join(ROOT, "server.mjs")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: "41731",
      HOST: "127.0.0.1",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://policy-guard.example.com",
      SCOPES: "read_orders",
      DATABASE_URL: databaseUrl,
      WEBHOOK_WORKER: "off",
    },
  });
  stopAll.push(app);
  await waitFor(app, /Policy Guard listening/);
  // One process (`node --import tsx`), so the SIGTERM below reaches the server itself.
  const bare = spawnTypeScript(
    join(ROOT, "bench/bare-webhook-server.ts"),
    [join(dir, "bare.sqlite"), SECRET, "41732"],
    {
      cwd: ROOT,
    },
  );
  stopAll.push(bare);
  await waitFor(bare, /ready/);

  // Warm up both (JIT, prepared statements).
  await load("http://127.0.0.1:41731", { seconds: 2, connections: 10 });
  await load("http://127.0.0.1:41732", { seconds: 2, connections: 10 });

  const steady = await openLoop({
    url: "http://127.0.0.1:41731",
    rate: RATE,
    seconds: RATE_SECONDS,
    build: () => ({ path: "/webhooks", headers: webhookHeaders(), body }),
  });
  results.steady = { rate: RATE, seconds: RATE_SECONDS, ...steady };
  const appMax = await load("http://127.0.0.1:41731", { seconds: MAX_SECONDS, connections: 50 });
  const bareMax = await load("http://127.0.0.1:41732", { seconds: MAX_SECONDS, connections: 50 });
  results.throughput = {
    app_rps: Math.round(appMax.requests.average),
    bare_rps: Math.round(bareMax.requests.average),
    ratio: Number((appMax.requests.average / bareMax.requests.average).toFixed(2)),
    app_errors: appMax.errors + appMax.non2xx,
    bare_errors: bareMax.errors + bareMax.non2xx,
  };
  const steadyResult = results.steady as { p99_ms: number; errors: number };
  const throughput = results.throughput as { ratio: number };
  results.targets = {
    "p99 <= 25 ms at 500 req/s": steadyResult.p99_ms <= 25,
    "no errors": steadyResult.errors === 0,
    "throughput >= half of bare node:http": throughput.ratio >= 0.5,
  };
  console.log(JSON.stringify({ benchmark: "webhook ack", ...results }, null, 2));
} finally {
  for (const child of stopAll) child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
