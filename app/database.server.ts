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

/** Prisma's codes for a database it cannot reach, that timed out, closed the connection, or has no connection free. */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver errors of the same kind, and PostgreSQL's classes 08 (connection exception) and 57P (shutdown, restart). */
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_MESSAGES =
  /Can't reach database server|Connection terminated|not queryable|Server has closed the connection/;

/**
 * Whether an error says the database was unavailable (restarting, failing over,
 * unreachable) rather than that the work was wrong: such work is tried again,
 * never counted against what it was doing.
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 5; depth++) {
    const { code, kind, originalCode, message } = cause as Record<string, unknown>;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    if (kind === "postgres" && typeof originalCode === "string" && /^(08|57P)/.test(originalCode)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    const meta = (cause as { meta?: { driverAdapterError?: unknown } }).meta;
    cause = meta?.driverAdapterError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}
