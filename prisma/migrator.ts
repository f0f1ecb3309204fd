/**
 * Offline migrations through Prisma's WebAssembly schema engine and a driver
 * adapter: no native engine download, same SQL and `_prisma_migrations` table
 * as `prisma migrate deploy`. See docs/decisions/0002-offline-migrations.md.
 */
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DiffTarget, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

import { providerOf, type DatabaseProvider as Provider } from "../app/db-url";

export type { Provider };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const LAYOUT: Record<Provider, { schema: string; migrations: string }> = {
  sqlite: { schema: join(ROOT, "prisma/schema.prisma"), migrations: join(ROOT, "prisma/migrations") },
  postgresql: { schema: join(ROOT, "prisma/postgres/schema.prisma"), migrations: join(ROOT, "prisma/postgres/migrations") },
};

function adapterFactory(url: string) {
  return providerOf(url) === "postgresql" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSqlite3({ url });
}

type EngineModule = typeof import("@prisma/schema-engine-wasm");
let engineModule: Promise<EngineModule> | undefined;

/** Node 20 cannot import .wasm modules, so the engine is instantiated by hand once per process. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindingsUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = await import(bindingsUrl);
    const bytes = await readFile(fileURLToPath(bindingsUrl).replace(/\.js$/, ".wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings as EngineModule;
  })();
  return engineModule;
}

export async function readSchema(provider: Provider): Promise<{ path: string; content: string }> {
  const path = LAYOUT[provider].schema;
  return { path, content: await readFile(path, "utf8") };
}

async function withEngine<T>(url: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readSchema(providerOf(url));
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory(url)),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

export async function migrationList(provider: Provider): Promise<MigrationList> {
  const baseDir = LAYOUT[provider].migrations;
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
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
  return withEngine(url, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
}

/** SQL that would take `from` to `to`; empty when they match. */
export async function diffSql(url: string, from: DiffTarget, to: DiffTarget): Promise<string> {
  return withEngine(url, async (engine) => {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTER });
    return (result.stdout ?? "").trim();
  });
}

const EMPTY_MIGRATION = /^(--[^\n]*\n?)*$/;

/** SQL still needed to bring the committed migrations up to the schema (empty: no drift). */
export async function pendingSchemaChange(provider: Provider, scratchUrl: string): Promise<string> {
  const schema = await readSchema(provider);
  const migrations = await migrationList(provider);
  const sql = await diffSql(scratchUrl, { tag: "migrations", ...migrations }, { tag: "schemaDatamodel", files: [schema] });
  return EMPTY_MIGRATION.test(sql) ? "" : sql;
}
