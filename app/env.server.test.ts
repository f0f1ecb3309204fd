import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://policy-guard.example.com",
  SCOPES: "read_orders, write_returns",
};

const refusal = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
};

describe("environment, validated once at boot", () => {
  it("accepts a complete environment and defaults the database to SQLite", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_orders", "write_returns"]);
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
  });

  it("fails closed: an unset or empty NODE_ENV is production, which refuses the demo's settings", () => {
    expect(parseEnv(valid).NODE_ENV).toBe("production");
    expect(parseEnv({ ...valid, NODE_ENV: "" }).NODE_ENV).toBe("production");
    const demo = {
      ...valid,
      SHOPIFY_API_KEY: "policy-guard-demo",
      SHOPIFY_APP_URL: "http://127.0.0.1:3000",
      ADMIN_API_ORIGIN: "http://127.0.0.1:3001",
    };
    for (const unset of [{}, { NODE_ENV: "" }, { NODE_ENV: undefined }]) {
      expect(() => parseEnv({ ...demo, ...unset })).toThrow(EnvError);
      const message = refusal({ ...demo, ...unset });
      expect(message).toMatch(/SHOPIFY_API_KEY is the demo's key/);
      expect(message).toMatch(/SHOPIFY_APP_URL must be a public https URL/);
      expect(message).toMatch(/ADMIN_API_ORIGIN points the Admin API at a store emulator/);
    }
    // Development and tests say so explicitly (vite dev, the demo, vitest).
    expect(parseEnv({ ...demo, NODE_ENV: "development" }).ADMIN_API_ORIGIN).toBe("http://127.0.0.1:3001");
    expect(parseEnv({ ...demo, NODE_ENV: "test" }).SHOPIFY_API_KEY).toBe("policy-guard-demo");
  });

  it("a production app URL is not this machine: loopback, 0.0.0.0 and localhost names in every spelling", () => {
    const local = [
      "https://0.0.0.0",
      "https://0",
      "https://0.0.0.0:3000/app",
      "https://127.0.0.1",
      "https://127.1",
      "https://2130706433",
      "https://0x7f.1",
      "https://[::1]",
      "https://[::]",
      "https://[0:0:0:0:0:0:0:1]",
      "https://[::ffff:127.0.0.1]",
      "https://[::ffff:0.0.0.0]",
      "https://localhost",
      "https://LOCALHOST.",
      "https://policy-guard.localhost",
    ];
    for (const url of local) {
      expect(() => parseEnv({ ...valid, SHOPIFY_APP_URL: url }), url).toThrow(
        /SHOPIFY_APP_URL must be a public https URL/,
      );
    }
    for (const url of [
      "https://policy-guard.example.com",
      "https://[::ffff:8.8.8.8]",
      "https://localhost.example.com",
    ]) {
      expect(parseEnv({ ...valid, SHOPIFY_APP_URL: url }).SHOPIFY_APP_URL, url).toBe(url);
    }
  });

  it("names every missing or malformed variable in one message", () => {
    const bad = { ...valid, SHOPIFY_API_SECRET: undefined, SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x" };
    expect(() => parseEnv(bad)).toThrow(EnvError);
    try {
      parseEnv(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/SHOPIFY_API_SECRET is missing/);
      expect(message).toMatch(/SHOPIFY_APP_URL must be the app's public URL/);
      expect(message).toMatch(/DATABASE_URL must start with file:/);
      expect(message).not.toMatch(/SHOPIFY_API_KEY/);
    }
  });

  it("treats an empty variable as missing", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_API_KEY: "" })).toThrow(/SHOPIFY_API_KEY is missing/);
  });

  it("accepts PostgreSQL URLs", () => {
    expect(parseEnv({ ...valid, DATABASE_URL: "postgresql://u:p@db:5432/pg" }).DATABASE_URL).toMatch(/^postgresql:/);
  });

  it("a production server refuses the demo's settings", () => {
    const demo = {
      ...valid,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "policy-guard-demo",
      SHOPIFY_APP_URL: "http://127.0.0.1:3000",
    };
    expect(() => parseEnv(demo)).toThrow(
      /SHOPIFY_API_KEY is the demo's key[\s\S]*SHOPIFY_APP_URL must be a public https URL/,
    );
    expect(() => parseEnv({ ...valid, NODE_ENV: "production", SHOPIFY_APP_URL: "https://localhost:3000" })).toThrow(
      /SHOPIFY_APP_URL/,
    );
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "production", APP_BRIDGE_URL: "http://127.0.0.1:3001/cdn/app-bridge.js" }),
    ).toThrow(/APP_BRIDGE_URL replaces Shopify's App Bridge/);
    expect(parseEnv({ ...valid, NODE_ENV: "production" }).NODE_ENV).toBe("production");
    expect(parseEnv({ ...demo, NODE_ENV: "development" }).SHOPIFY_API_KEY).toBe("policy-guard-demo");
  });
});
