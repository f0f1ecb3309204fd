import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "../../prisma/migrator";
import { appBuild } from "../support/app-build";
import { BROWSER_UA, startProductionServer, type RunningServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "policy-guard-boot-"));
const databaseUrl = `file:${join(dir, "app.sqlite")}`;
const env = {
  SHOPIFY_API_KEY: "test-key",
  SHOPIFY_API_SECRET: "test-secret",
  SHOPIFY_APP_URL: "https://policy-guard.example.com",
  SCOPES: "read_orders",
  DATABASE_URL: databaseUrl,
};

let buildDir: string;

beforeAll(async () => {
  buildDir = await appBuild();
  await deployMigrations(databaseUrl);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the production server", () => {
  it("refuses to start without SHOPIFY_API_SECRET and says which variable", async () => {
    const { SHOPIFY_API_SECRET: _omitted, ...incomplete } = env;
    const server = await startProductionServer(incomplete, buildDir);
    await new Promise<void>((resolve) =>
      server.process.exitCode !== null ? resolve() : server.process.once("exit", () => resolve()),
    );
    expect(server.process.exitCode).not.toBe(0);
    expect(server.output()).toMatch(/SHOPIFY_API_SECRET is missing/);
  });

  describe("with a valid environment", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startProductionServer(env, buildDir);
    });
    afterAll(() => server.stop());

    it("serves the landing page", async () => {
      const response = await fetch(server.url, { headers: { "user-agent": BROWSER_UA } });
      expect(response.status, server.output()).toBe(200);
      expect(await response.text()).toContain("Policy Guard");
    });

    it("sends an unauthenticated visit to /app to Shopify's login", async () => {
      const response = await fetch(`${server.url}/app`, { headers: { "user-agent": BROWSER_UA }, redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/\/auth\/login/);
    });
  });
});
