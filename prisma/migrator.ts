/**
 * Offline migrations through Prisma's WebAssembly schema engine and a driver
 * adapter: no native engine download, same SQL and `_prisma_migrations` table
 * as `prisma migrate deploy`. See docs/decisions/0002-offline-migrations.md.
 */
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import pg from "pg";
import type * as SchemaEngineModule from "@prisma/schema-engine-wasm";
import type { DiffTarget, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

import { providerOf, type DatabaseProvider as Provider } from "../app/db-url";

export type { Provider };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const LAYOUT: Record<Provider, { schema: string; migrations: string }> = {
  sqlite: { schema: join(ROOT, "prisma/schema.prisma"), migrations: join(ROOT, "prisma/migrations") },
  postgresql: {
    schema: join(ROOT, "prisma/postgres/schema.prisma"),
    migrations: join(ROOT, "prisma/postgres/migrations"),
  },
};

type Connection = { dispose(): Promise<void> };

/**
 * The adapter factory for `url`, remembering every connection it opens: the
 * engine does not close them when freed, and an open SQLite handle keeps its lock.
 */
function trackedAdapterFactory(url: string) {
  const inner =
    providerOf(url) === "postgresql" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSqlite3({ url });
  const opened: Connection[] = [];
  const track = async <C extends Connection>(connection: Promise<C>) => {
    const c = await connection;
    opened.push(c);
    return c;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => track(inner.connect()),
    connectToShadowDb: () => track(inner.connectToShadowDb()),
  };
  const closeAll = () => Promise.all(opened.splice(0).map((c) => c.dispose()));
  return { factory, closeAll };
}

type EngineModule = typeof SchemaEngineModule;
let engineModule: Promise<EngineModule> | undefined;

/** Node 20 cannot import .wasm modules, so the engine is instantiated by hand once per process. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindingsPath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = await import(pathToFileURL(bindingsPath).href);
    const bytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings as EngineModule;
  })();
  return engineModule;
}

/** prisma/postgres/schema.prisma: the SQLite schema with PostgreSQL as provider and its own client. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  return sqliteSchema
    .replace(
      /^\/\/ The source schema[^\n]*\n(\/\/[^\n]*\n)*/,
      "// Generated from prisma/schema.prisma by `npm run db:schemas`. Do not edit.\n",
    )
    .replace(
      'provider = "prisma-client-js"',
      'provider = "prisma-client-js"\n  output   = "../../node_modules/.prisma/postgres-client"',
    )
    .replace('provider = "sqlite"', 'provider = "postgresql"');
}

export async function readSchema(provider: Provider): Promise<{ path: string; content: string }> {
  const path = LAYOUT[provider].schema;
  return { path, content: await readFile(path, "utf8") };
}

async function withEngine<T>(url: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readSchema(providerOf(url));
  const { factory, closeAll } = trackedAdapterFactory(url);
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await closeAll();
  }
}

export async function migrationList(provider: Provider): Promise<MigrationList> {
  const baseDir = LAYOUT[provider].migrations;
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: lockPath, content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (name) => {
        const content = await readFile(join(baseDir, name, "migration.sql"), "utf8").then(
          (sql) => ({ tag: "ok" as const, value: sql }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** Apply every committed migration not yet applied; returns the names applied now. */
export async function deployMigrations(url: string): Promise<string[]> {
  const migrationsList = await migrationList(providerOf(url));
  const applied = await withEngine(url, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
  if (providerOf(url) === "sqlite") enableWriteAheadLog(url);
  return applied;
}

/**
 * SQLite in WAL mode: readers never block the writer and a commit appends to the
 * log instead of rewriting the journal (5× faster webhook inserts here). The mode
 * is stored in the database file, so setting it once at setup is enough.
 */
function enableWriteAheadLog(url: string): void {
  const db = new Database(url.replace(/^file:/, ""));
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/** SQL that would take `from` to `to`; empty when they match. */
export async function diffSql(url: string, from: DiffTarget, to: DiffTarget): Promise<string> {
  return withEngine(url, async (engine) => {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTER });
    return (result.stdout ?? "").trim();
  });
}

/** The engine answers a no-op diff with comments only. */
export function isEmptyMigration(sql: string): boolean {
  return /^(--[^\n]*\n?|\s)*$/.test(sql);
}

/** The full SQL that creates the schema from nothing (no database is read). */
export async function schemaCreationSql(url: string): Promise<string> {
  const schema = await readSchema(providerOf(url));
  return diffSql(url, { tag: "empty" }, { tag: "schemaDatamodel", files: [schema] });
}

/** Run a multi-statement SQL script on an empty database. */
export async function executeScript(url: string, sql: string): Promise<void> {
  if (providerOf(url) === "sqlite") {
    const db = new Database(url.replace(/^file:/, ""));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Tables, columns, defaults and indexes as sorted lines, read from the
 * database's own catalog (not through the engine), so two databases can be compared.
 */
export async function schemaFingerprint(url: string): Promise<string[]> {
  if (providerOf(url) === "sqlite") {
    const db = new Database(url.replace(/^file:/, ""), { readonly: true });
    try {
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'",
        )
        .pluck()
        .all() as string[];
      const lines = tables.flatMap((table) => [
        ...db
          .prepare(`PRAGMA table_info("${table}")`)
          .all()
          .map((c) => `column ${table} ${JSON.stringify(c)}`),
        ...(db.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number }>).map(
          (index) =>
            `index ${table} ${index.name} unique=${index.unique} ${JSON.stringify(db.prepare(`PRAGMA index_info("${index.name}")`).all())}`,
        ),
      ]);
      return lines.sort();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const indexes = await client.query(
      "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
    );
    return [
      ...columns.rows.map((row) => `column ${JSON.stringify(row)}`),
      ...indexes.rows.map((row) => `index ${row.tablename} ${row.indexdef}`),
    ].sort();
  } finally {
    await client.end();
  }
}
