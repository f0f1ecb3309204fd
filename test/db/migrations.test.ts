import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient } from "../../app/database.server";
import { presetSettings, parseSettings } from "../../app/policy";
import { freshPostgresDatabase } from "../support/postgres-db";
import {
  deployMigrations,
  executeScript,
  postgresSchemaFrom,
  readSchema,
  schemaCreationSql,
  schemaFingerprint,
} from "../../prisma/migrator";

const dir = mkdtempSync(join(tmpdir(), "policy-guard-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const postgresUrl = inject("postgresUrl");

const targets: Array<{ provider: "sqlite" | "postgresql"; url: () => Promise<string> }> = [
  { provider: "sqlite", url: async () => `file:${join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite`)}` },
  ...(postgresUrl
    ? [
        {
          provider: "postgresql" as const,
          url: () => freshPostgresDatabase(postgresUrl, `pg_${Math.random().toString(36).slice(2, 10)}`),
        },
      ]
    : []),
];

it("keeps the PostgreSQL schema generated from the SQLite schema (npm run db:schemas)", async () => {
  const sqlite = await readSchema("sqlite");
  const postgres = await readSchema("postgresql");
  expect(postgres.content).toBe(postgresSchemaFrom(sqlite.content));
});

describe.each(targets)("database ($provider)", ({ url }) => {
  it("migrates an empty database from the committed migrations, idempotently", async () => {
    const target = await url();
    const first = await deployMigrations(target);
    expect(first.length).toBeGreaterThan(0);
    expect(await deployMigrations(target)).toEqual([]);
  });

  it("has no drift: the committed migrations build the same tables and indexes as the schema", async () => {
    const migrated = await url();
    await deployMigrations(migrated);
    const fromSchema = await url();
    await executeScript(fromSchema, await schemaCreationSql(fromSchema));
    const expected = await schemaFingerprint(fromSchema);
    expect(expected.some((line) => line.includes("Shop"))).toBe(true);
    expect(await schemaFingerprint(migrated)).toEqual(expected);
  });

  it("stores Shopify sessions through the Prisma session storage", async () => {
    const target = await url();
    await deployMigrations(target);
    const prisma = createPrismaClient(target);
    try {
      const storage = new PrismaSessionStorage(prisma);
      const session = new Session({
        id: "offline_shop.myshopify.com",
        shop: "shop.myshopify.com",
        state: "s",
        isOnline: false,
      });
      session.accessToken = "shpat_test";
      session.scope = "read_orders";
      expect(await storage.storeSession(session)).toBe(true);
      const loaded = await storage.loadSession(session.id);
      expect(loaded?.accessToken).toBe("shpat_test");
      expect(await storage.findSessionsByShop("shop.myshopify.com")).toHaveLength(1);
      await storage.deleteSession(session.id);
      expect(await storage.loadSession(session.id)).toBeUndefined();
    } finally {
      await prisma.$disconnect();
    }
  });

  it("round-trips a shop's policy settings as JSON", async () => {
    const target = await url();
    await deployMigrations(target);
    const prisma = createPrismaClient(target);
    try {
      const settings = presetSettings("alleyAccessory");
      await prisma.shop.create({ data: { domain: "a.myshopify.com", settings: settings as object } });
      const row = await prisma.shop.findUniqueOrThrow({ where: { domain: "a.myshopify.com" } });
      expect(parseSettings(row.settings)).toEqual(settings);
      await expect(prisma.shop.create({ data: { domain: "a.myshopify.com", settings: {} } })).rejects.toThrow();
    } finally {
      await prisma.$disconnect();
    }
  });
});
