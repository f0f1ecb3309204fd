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

  it("fails closed: with NODE_ENV unset it runs as production and refuses the demo's settings", async () => {
    const demo = {
      ...env,
      NODE_ENV: undefined,
      SHOPIFY_API_KEY: "policy-guard-demo",
      SHOPIFY_APP_URL: "https://0.0.0.0:3000",
      ADMIN_API_ORIGIN: "http://127.0.0.1:3001",
    };
    for (const unset of [{ NODE_ENV: undefined }, { NODE_ENV: "" }]) {
      const server = await startProductionServer({ ...demo, ...unset }, buildDir);
      const listening = /Policy Guard listening/.test(server.output());
      if (listening) await server.stop();
      expect(listening, server.output()).toBe(false);
      await new Promise<void>((resolve) =>
        server.process.exitCode !== null ? resolve() : server.process.once("exit", () => resolve()),
      );
      expect(server.process.exitCode, server.output()).not.toBe(0);
      expect(server.output()).toMatch(/SHOPIFY_API_KEY is the demo's key/);
      expect(server.output()).toMatch(/ADMIN_API_ORIGIN points the Admin API at a store emulator/);
      expect(server.output()).toMatch(/SHOPIFY_APP_URL must be a public https URL/);
    }
  });

  it("with NODE_ENV unset and a valid environment, starts as production", async () => {
    const server = await startProductionServer({ ...env, NODE_ENV: undefined }, buildDir);
    try {
      expect(server.output()).toMatch(/listening on .*\(NODE_ENV=production\)/);
      const response = await fetch(server.url, { headers: { "user-agent": BROWSER_UA } });
      expect(response.status, server.output()).toBe(200);
    } finally {
      await server.stop();
    }
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
