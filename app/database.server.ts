import { createRequire } from "node:module";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { providerOf } from "./db-url";

const require = createRequire(import.meta.url);

/**
 * SQLite connections that overwrite what they delete (rows, and pages that fall
 * free) with zeros: a redacted customer cannot be read back from the file's free
 * space. The setting belongs to the connection, so each one sets it.
 */
class SecureDeleteSqlite extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript("PRAGMA secure_delete = ON");
    return adapter;
  }
}

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
  return new PrismaClient({ adapter: new SecureDeleteSqlite({ url }) });
}
