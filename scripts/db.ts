/**
 * Database tasks that work offline:
 *   generate        Prisma clients for SQLite and PostgreSQL
 *   deploy          apply committed migrations to DATABASE_URL (default: SQLite dev database)
 *   schemas         write prisma/postgres/schema.prisma from prisma/schema.prisma
 *   create <name>   add a migration for both providers
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { DEFAULT_DATABASE_URL, providerOf } from "../app/db-url";
import { startThrowawayPostgres } from "./postgres";
import {
  LAYOUT,
  deployMigrations,
  diffSql,
  isEmptyMigration,
  migrationList,
  postgresSchemaFrom,
  readSchema,
  type Provider,
} from "../prisma/migrator";

function generate() {
  // `prisma generate` does not use the schema engine but insists on finding one.
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  };
  for (const provider of ["sqlite", "postgresql"] as const) {
    execFileSync("npx", ["prisma", "generate", "--schema", LAYOUT[provider].schema], { stdio: "inherit", env });
  }
}

async function writePostgresSchema() {
  const source = await readFile(LAYOUT.sqlite.schema, "utf8");
  mkdirSync(join(LAYOUT.postgresql.schema, ".."), { recursive: true });
  writeFileSync(LAYOUT.postgresql.schema, postgresSchemaFrom(source));
  console.log(`wrote ${LAYOUT.postgresql.schema}`);
}

/**
 * Each migration folder keeps the schema it was made from (schema.prisma), so
 * the next migration is a diff between two schema texts, with no introspection.
 */
async function createMigration(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("Migration name must be lower_snake_case");
  const dirName = `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}_${name}`;
  // The PostgreSQL engine connects even to diff two texts: give it a throw-away server.
  const postgres = startThrowawayPostgres();
  const engineUrl: Record<Provider, string> = {
    sqlite: "file::memory:",
    postgresql: postgres.url,
  };
  try {
    for (const provider of ["sqlite", "postgresql"] as const)
      await createProviderMigration(provider, engineUrl[provider], dirName);
  } finally {
    postgres.stop();
  }
}

async function createProviderMigration(provider: Provider, engineUrl: string, dirName: string) {
  const migrations = await migrationList(provider);
  const last = migrations.migrationDirectories.at(-1);
  const previous = last ? await readFile(join(migrations.baseDir, last.path, "schema.prisma"), "utf8") : null;
  const current = await readSchema(provider);
  const from =
    previous === null
      ? { tag: "empty" as const }
      : {
          tag: "schemaDatamodel" as const,
          files: [{ path: current.path, content: previous }],
        };
  const sql = await diffSql(engineUrl, from, {
    tag: "schemaDatamodel",
    files: [current],
  });
  if (isEmptyMigration(sql)) {
    console.log(`${provider}: schema and migrations already match`);
    return;
  }
  const dir = join(migrations.baseDir, dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql + "\n");
  writeFileSync(join(dir, "schema.prisma"), current.content);
  writeFileSync(join(migrations.baseDir, "migration_lock.toml"), `provider = "${provider}"\n`);
  console.log(`${provider}: wrote ${dir}/migration.sql`);
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
