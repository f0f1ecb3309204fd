import { createRequire } from "node:module";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { providerOf } from "./db-url";

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
