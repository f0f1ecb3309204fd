/**
 * Database tasks that work offline:
 *   generate        Prisma clients for SQLite and PostgreSQL
 *   deploy          apply committed migrations to DATABASE_URL (default: SQLite dev database)
 *   schemas         write prisma/postgres/schema.prisma from prisma/schema.prisma
 *   create <name>   add a migration for both providers (PostgreSQL needs POSTGRES_SCRATCH_URL)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { DEFAULT_DATABASE_URL, providerOf } from "../app/db-url";
import { LAYOUT, deployMigrations, diffSql, migrationList, readSchema, type Provider } from "../prisma/migrator";

function generate() {
  // `prisma generate` does not use the schema engine but insists on finding one.
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
  for (const provider of ["sqlite", "postgresql"] as const) {
    execFileSync("npx", ["prisma", "generate", "--schema", LAYOUT[provider].schema], { stdio: "inherit", env });
  }
}

async function writePostgresSchema() {
  const source = await readFile(LAYOUT.sqlite.schema, "utf8");
  const generated = source
    .replace(/^\/\/ The source schema[^\n]*\n(\/\/[^\n]*\n)*/, "// Generated from prisma/schema.prisma by `npm run db:schemas`. Do not edit.\n")
    .replace('provider = "prisma-client-js"', 'provider = "prisma-client-js"\n  output   = "../../node_modules/.prisma/postgres-client"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  mkdirSync(join(LAYOUT.postgresql.schema, ".."), { recursive: true });
  writeFileSync(LAYOUT.postgresql.schema, generated);
  console.log(`wrote ${LAYOUT.postgresql.schema}`);
}

async function createMigration(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("Migration name must be lower_snake_case");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const scratch: Record<Provider, string | undefined> = {
    sqlite: `file:${join(process.env.TMPDIR ?? "/tmp", `policy-guard-scratch-${process.pid}.sqlite`)}`,
    postgresql: process.env.POSTGRES_SCRATCH_URL,
  };
  for (const provider of ["sqlite", "postgresql"] as const) {
    const url = scratch[provider];
    if (!url) throw new Error("Set POSTGRES_SCRATCH_URL (or run through scripts/with-postgres.sh) so the PostgreSQL migration is created too");
    const migrations = await migrationList(provider);
    const from = migrations.migrationDirectories.length ? { tag: "migrations" as const, ...migrations } : { tag: "empty" as const };
    const sql = await diffSql(url, from, { tag: "schemaDatamodel", files: [await readSchema(provider)] });
    if (!sql || /^(--[^\n]*\n?)*$/.test(sql)) {
      console.log(`${provider}: schema and migrations already match`);
      continue;
    }
    const dir = join(LAYOUT[provider].migrations, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql + "\n");
    writeFileSync(join(LAYOUT[provider].migrations, "migration_lock.toml"), `provider = "${provider}"\n`);
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  }
}

const [command, arg] = process.argv.slice(2);
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
switch (command) {
  case "generate":
    generate();
    break;
  case "deploy": {
    const applied = await deployMigrations(url);
    console.log(`${providerOf(url)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
    break;
  }
  case "schemas":
    await writePostgresSchema();
    break;
  case "create":
    await createMigration(arg ?? "");
    break;
  default:
    console.error("usage: tsx scripts/db.ts generate | deploy | schemas | create <name>");
    process.exit(2);
}
