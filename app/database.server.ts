import { createRequire } from "node:module";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

/** Which database a DATABASE_URL names. Shared by the app, its tests and the migration scripts. */
export type DatabaseProvider = "sqlite" | "postgresql";

/** The zero-setup database: an SQLite file beside the schema. */
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function providerOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL), got "${url.split(":")[0]}:…"`,
  );
}

const require = createRequire(import.meta.url);

/**
 * A Prisma client for SQLite (file: URLs) or PostgreSQL (postgres:// URLs).
 * Each provider has its own generated client; the models are the same.
 */
export function createPrismaClient(url: string): PrismaClient {
  if (providerOf(url) === "postgresql") {
    const { PrismaClient: PostgresClient } = require(".prisma/postgres-client") as {
      PrismaClient: typeof PrismaClient;
    };
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}
