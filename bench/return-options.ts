/**
 * Return options for an order, as the customer-account extension asks for them: the real
 * route loader (api.portal.options) with Shopify's `authenticate.public.customerAccount`
 * verifying a signed session token, the app's audience / installed-shop / customer checks,
 * ownership, each line's verdicts and the refund preview — against SQLite with 100,000 orders
 * stored, beside a bare verified-token echo (the same authentication, answering the customer
 * only) measured in the same run. The Admin API origin is a counting server: with the facts
 * current, the options call must not reach it. Target: p95 ≤ 50 ms. Measured in-process (the
 * loader is called with a Request), so HTTP framing is not included in either figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Prisma, PrismaClient } from "@prisma/client";
import { deployMigrations } from "../prisma/migrator";
import { signCustomerAccountToken } from "../test/emulator/customer-account";

const quick = process.argv.includes("--quick");
const ORDERS = quick ? 20_000 : 100_000;
const CUSTOMERS = 20_000;
const RUNS = quick ? 100 : 400;
const SHOP = "bench-portal.myshopify.com";
const API_KEY = "bench-portal-key";
const SECRET = "bench-portal-secret";
const DAY = 86_400_000;

// Every Admin API request the app makes during the run lands here and is counted.
let adminCalls = 0;
const admin = createServer((req, res) => {
  adminCalls++;
  res.writeHead(500, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ errors: "the benchmark's Admin API answers nothing" }));
});
await new Promise<void>((resolve) => admin.listen(0, "127.0.0.1", resolve));

const dir = mkdtempSync(join(tmpdir(), "policy-guard-options-bench-"));
const url = `file:${join(dir, "portal.sqlite")}`;
Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: url,
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "https://policy-guard.example.com",
  SCOPES: "read_orders",
  WEBHOOK_WORKER: "off",
  ADMIN_API_ORIGIN: `http://127.0.0.1:${(admin.address() as AddressInfo).port}`,
});
await deployMigrations(url);
const { default: prisma } = await import("../app/db.server");
const { presetSettings } = await import("../app/policy");
const { loader } = await import("../app/routes/api.portal.options");
const { authenticate } = await import("../app/shopify.server");
const { portalEndpoint } = await import("../app/services/portal-auth/portal-endpoint.server");

// Shopify's library logs every customer-account authentication at INFO: kept out of the figures' output.
for (const level of ["log", "info"] as const) {
  const write = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("[shopify-app/INFO]")) return;
    write(...args);
  };
}

const NOW = Date.now();
const customerOf = (n: number) => `gid://shopify/Customer/${(n % CUSTOMERS) + 1}`;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>, size = 1_000) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

/** Delivered orders with every fact the rules read already stored; a tenth have a return. */
async function seed(db: PrismaClient) {
  await db.shop.create({ data: { domain: SHOP, settings: presetSettings() as object } });
  await db.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "bench-token" },
  });
  const orders: Prisma.OrderCreateManyInput[] = [];
  const lines: Prisma.OrderLineCreateManyInput[] = [];
  const events: Prisma.OrderEventCreateManyInput[] = [];
  const returns: Prisma.ReturnCreateManyInput[] = [];
  const returnLines: Prisma.ReturnLineCreateManyInput[] = [];
  const usd = (amount: number) => ({ amount, currency: "USD" });
  for (let n = 1; n <= ORDERS; n++) {
    const id = `gid://shopify/Order/${n}`;
    const placed = new Date(NOW - (3 + (n % 20)) * DAY);
    const price = 30_000 + (n % 50_000);
    const card = n % 5 !== 0;
    orders.push({
      id,
      shop: SHOP,
      name: `#${1000 + n}`,
      customerId: customerOf(n),
      processedAt: placed,
      shopifyUpdatedAt: placed,
      financialStatus: "paid",
      fulfillmentStatus: "fulfilled",
      currency: "USD",
      subtotalCents: price * 2,
      shippingCents: price * 2 >= 50_000 ? 0 : 2_500,
      totalCents: price * 2 + 4_800,
      state: "delivered",
      payments: [
        {
          kind: "SALE",
          status: "SUCCESS",
          gateway: card ? "shopify_payments" : "paypal",
          method: card ? "card" : "paypal",
          amount: usd(price * 2 + 4_800),
          processedAt: placed.toISOString(),
        },
      ],
      shippingFacts: {
        subtotalAfterDiscounts: usd(price * 2),
        shippingCost: { price: usd(2_500), charged: usd(price * 2 >= 50_000 ? 0 : 2_500) },
        countryCode: "US",
      },
    });
    for (const k of [0, 1])
      lines.push({
        id: `gid://shopify/LineItem/${n * 2 + k}`,
        orderId: id,
        title: `Item ${n}-${k}`,
        quantity: 1,
        unitPriceCents: price,
        compareAtCents: k === 1 && n % 3 === 0 ? price + 10_000 : 0,
        productTags: n % 7 === 0 ? "watch,final-sale" : "watch",
        taxCents: 2_400,
      });
    const at = (days: number) => new Date(placed.getTime() + days * DAY);
    for (const [kind, ref, occurredAt] of [
      ["placed", "", placed],
      ["paid", "", placed],
      ["shipped", `gid://shopify/Fulfillment/${n}`, at(1)],
      ["delivered", `gid://shopify/Fulfillment/${n}`, at(2)],
    ] as const)
      events.push({ orderId: id, kind, ref, occurredAt, source: "bench" });
    if (n % 10 === 0) {
      const returnId = `gid://shopify/Return/${n}`;
      returns.push({
        id: returnId,
        shop: SHOP,
        orderId: id,
        status: "requested",
        reason: "change_of_mind",
        customerId: customerOf(n),
        source: "portal",
        requestKey: `key-${n}`,
        feeCents: 2_000,
        currency: "USD",
        requestedAt: at(2.5),
      });
      returnLines.push({
        id: `gid://shopify/ReturnLineItem/${n}`,
        returnId,
        orderLineId: `gid://shopify/LineItem/${n * 2}`,
        fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${n * 2}`,
        quantity: 1,
        unitPriceCents: price,
        taxCents: 2_400,
      });
    }
  }
  await inChunks(orders, (c) => db.order.createMany({ data: c }));
  await inChunks(lines, (c) => db.orderLine.createMany({ data: c }));
  await inChunks(events, (c) => db.orderEvent.createMany({ data: c }));
  await inChunks(returns, (c) => db.return.createMany({ data: c }));
  await inChunks(returnLines, (c) => db.returnLine.createMany({ data: c }));
}

const p95 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!.toFixed(2));
};
const median = (samples: number[]) => Number([...samples].sort((a, b) => a - b)[samples.length >> 1]!.toFixed(2));

/** A customer-account request for order n, with a session token signed for its customer. */
function requestFor(n: number): Request {
  const token = signCustomerAccountToken({ shop: SHOP, apiKey: API_KEY, secret: SECRET, customerId: customerOf(n) });
  return new Request(`https://policy-guard.example.com/api/portal/options?orderId=${n}`, {
    headers: { Authorization: `Bearer ${token}`, Origin: "https://extensions.shopifycdn.com" },
  });
}

const echo = (request: Request) =>
  portalEndpoint(request, authenticate.public.customerAccount, async (customer) => customer);
const options = (request: Request) => loader({ request, params: {}, context: {} });

async function measure(
  call: (request: Request) => Promise<Response>,
  check: (body: { shop?: string; lines?: unknown[]; refundPreviews?: unknown }) => void,
) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 20; i++) {
    const n = 1 + ((i * 7_919) % ORDERS);
    const request = requestFor(n);
    const started = performance.now();
    const response = await call(request);
    const body = await response.json();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`order ${n}: HTTP ${response.status} ${JSON.stringify(body)}`);
    check(body);
    if (i >= 20) samples.push(elapsed); // the first calls warm the caches and the JIT
  }
  return { p95_ms: p95(samples), median_ms: median(samples) };
}

try {
  const started = performance.now();
  await seed(prisma);
  const seededIn = Math.round((performance.now() - started) / 1000);
  const bare = await measure(echo, (body) => {
    if (body.shop !== SHOP) throw new Error("the echo did not answer the verified customer");
  });
  const before = adminCalls;
  const answered = await measure(options, (body) => {
    if (!Array.isArray(body.lines) || body.lines.length !== 2 || !body.refundPreviews)
      throw new Error(`unexpected options: ${JSON.stringify(body).slice(0, 200)}`);
  });
  const calls = adminCalls - before;
  console.log(
    JSON.stringify(
      {
        benchmark: "return options (customer account), SQLite",
        orders: ORDERS,
        runs: RUNS,
        cpu_cores: availableParallelism(),
        seeded_in_s: seededIn,
        verified_token_echo: bare,
        return_options: answered,
        admin_api_calls_during_options: calls,
        targets: {
          "options p95 <= 50 ms": answered.p95_ms <= 50,
          "no Admin API call when the facts are current": calls === 0,
        },
      },
      null,
      2,
    ),
  );
  if (answered.p95_ms > 50 || calls !== 0) process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  admin.close();
  rmSync(dir, { recursive: true, force: true });
}
