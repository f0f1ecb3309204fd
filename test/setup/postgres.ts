import type { TestProject } from "vitest/node";
import { postgresBinDir, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

let server: ThrowawayPostgres | undefined;

/** POSTGRES_URL if given; otherwise a throw-away cluster when PostgreSQL is installed. */
export function setup(project: TestProject) {
  let url = process.env.POSTGRES_URL ?? null;
  if (!url && postgresBinDir()) {
    server = startThrowawayPostgres();
    url = server.url;
  }
  if (!url && process.env.CI) throw new Error("CI must test PostgreSQL: install postgresql or set POSTGRES_URL");
  project.provide("postgresUrl", url);
}

export function teardown() {
  server?.stop();
}
