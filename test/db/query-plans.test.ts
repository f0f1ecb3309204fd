import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@prisma/client";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { stubAppEnv } from "../support/app-env";
import { freshPostgresDatabase } from "../support/postgres-db";

/**
 * The worker's hot queries use indexes, on both databases: the due-deadline
 * sweep (every 60 s, over every shop) and the lookup of a return's request
 * event when its label or tracking arrives. The SQL explained is the SQL
 * Prisma sends, captured from the client's query log.
 */
const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "policy-guard-plans-"));
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});
const postgresUrl = inject("postgresUrl");

type LoggedClient = PrismaClient<{ log: [{ emit: "event"; level: "query" }] }>;

function loggedClient(url: string): LoggedClient {
  const log = [{ emit: "event" as const, level: "query" as const }];
  if (url.startsWith("file:"))
    return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }), log }) as LoggedClient;
  const { PrismaClient: PostgresClient } = require(".prisma/postgres-client") as { PrismaClient: typeof PrismaClient };
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }), log }) as LoggedClient;
}

/** Enough orders that PostgreSQL's planner prefers an index to a scan, as it would in a real shop. */
async function seed(db: LoggedClient) {
  const orders: Prisma.OrderCreateManyInput[] = [];
  const events: Prisma.OrderEventCreateManyInput[] = [];
  const deadlines: Prisma.OrderDeadlineCreateManyInput[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 4_000; i++) {
    const id = `gid://shopify/Order/${i}`;
    const placedAt = new Date(start + i * 3_600_000);
    orders.push({
      id,
      shop: `shop-${i % 20}.myshopify.com`,
      name: `#${1000 + i}`,
      processedAt: placedAt,
      shopifyUpdatedAt: placedAt,
      currency: "USD",
      subtotalCents: 50_000,
      shippingCents: 0,
      totalCents: 50_000,
    });
    for (const kind of ["placed", "paid", "shipped", "return_requested"])
      events.push({ orderId: id, kind, ref: `${kind}-${i}`, occurredAt: placedAt, source: "orders/create" });
    for (const [k, key] of ["cancellation_window_ends", "ship_by", "delivery_expected_by"].entries())
      deadlines.push({
        orderId: id,
        shop: `shop-${i % 20}.myshopify.com`,
        key,
        rule: "TML-2",
        dueAt: new Date(placedAt.getTime() + (k + 1) * 86_400_000),
        projected: false,
        settled: k < 2,
        actedAt: k < 2 ? placedAt : null,
      });
  }
  await db.order.createMany({ data: orders });
  await db.orderEvent.createMany({ data: events });
  await db.orderDeadline.createMany({ data: deadlines });
}

/** The SQL and parameters of the first query `run` makes on `table`. */
async function captured(db: LoggedClient, table: string, run: () => Promise<unknown>) {
  const seen: Array<{ query: string; params: string }> = [];
  db.$on("query", (e) => seen.push({ query: e.query, params: e.params }));
  await run();
  const found = seen.find((q) => q.query.startsWith("SELECT") && new RegExp(`[\`"]${table}[\`"]`).test(q.query));
  if (!found) throw new Error(`no query on ${table} among:\n${seen.map((q) => q.query).join("\n")}`);
  return { sql: found.query, params: JSON.parse(found.params) as unknown[] };
}

const targets = [
  { name: "SQLite", url: async () => `file:${join(dir, "plans.sqlite")}` },
  ...(postgresUrl ? [{ name: "PostgreSQL", url: () => freshPostgresDatabase(postgresUrl, "query_plans") }] : []),
];

describe.each(targets)("hot queries on $name use indexes", ({ name, url }) => {
  let db: LoggedClient;
  const plan = async (query: { sql: string; params: unknown[] }) => {
    const explain = name === "SQLite" ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
    const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(explain + query.sql, ...query.params);
    return rows.map((r) => String(r.detail ?? r["QUERY PLAN"])).join("\n");
  };

  it("the due-deadline sweep reads only deadlines not acted on, through an index", async () => {
    const databaseUrl = await url();
    await deployMigrations(databaseUrl);
    db = loggedClient(databaseUrl);
    await seed(db);
    if (name === "PostgreSQL") await db.$executeRawUnsafe("ANALYZE");
    stubAppEnv(databaseUrl);
    const { sweepDueDeadlines } = await import("../../app/services/webhooks/webhook-processor.server");
    // A moment before every deadline: the sweep finds nothing to do, and only its query is looked at.
    const query = await captured(db, "OrderDeadline", () =>
      sweepDueDeadlines(db as unknown as PrismaClient, new Date(Date.UTC(2025, 0, 1))),
    );
    expect(query.sql).toMatch(/[`"]actedAt[`"] IS NULL/);
    const sweep = await plan(query);
    expect(sweep).toContain("OrderDeadline_actedAt_dueAt_idx");
    expect(sweep).not.toMatch(/SCAN (main\.)?OrderDeadline\b|Seq Scan on "OrderDeadline"/);
  }, 120_000);

  it("a return's request event is found by (kind, ref) through an index", async () => {
    // The reverse-delivery handler's lookup: the return's request event in the delivering shop.
    const query = await captured(db, "OrderEvent", () =>
      db.orderEvent.findFirst({
        where: { kind: "return_requested", ref: "return_requested-1234", order: { shop: "shop-14.myshopify.com" } },
      }),
    );
    const lookup = await plan(query);
    expect(lookup).toContain("OrderEvent_kind_ref_idx");
    expect(lookup).not.toMatch(/SCAN (main\.)?OrderEvent\b|Seq Scan on "OrderEvent"/);
    await db.$disconnect();
  }, 60_000);
});
