import { defineConfig } from "prisma/config";

// Migrations are applied offline by scripts/db.ts (see docs/decisions/0002-offline-migrations.md);
// where Prisma's engines are available `prisma migrate deploy` uses the same folder.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite" },
});
