/** Which database a DATABASE_URL names. Free of Prisma imports: the scripts that generate the client use it. */
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
