import { describe, expect, it } from "vitest";
import { parseEnv } from "../../app/env.server";

/** The carrier's configuration as the server validates it at boot. */
const base = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://policy-guard.example.com",
  SCOPES: "read_orders",
};
describe("return label configuration", () => {
  it("runs without a carrier (staff upload labels) and with a key and its webhook secret", () => {
    expect(parseEnv(base).EASYPOST_API_KEY).toBeUndefined();
    const env = parseEnv({ ...base, EASYPOST_API_KEY: "EZAK1", EASYPOST_WEBHOOK_SECRET: "s" });
    expect([env.EASYPOST_TIMEOUT_MS, env.RETURN_LABEL_CARRIER, env.RETURN_LABEL_SERVICE]).toEqual([
      15_000,
      "USPS",
      "GroundAdvantage",
    ]);
  });

  it("refuses a key without the secret that verifies its tracking webhooks", () => {
    expect(() => parseEnv({ ...base, EASYPOST_API_KEY: "EZAK1" })).toThrow(
      /- EASYPOST_WEBHOOK_SECRET is missing: EasyPost's webhook secret/,
    );
  });

  it("refuses the carrier emulator's base URL in production, accepts it in development", () => {
    const emulated = {
      ...base,
      EASYPOST_API_KEY: "k",
      EASYPOST_WEBHOOK_SECRET: "s",
      EASYPOST_BASE_URL: "http://127.0.0.1:3002/v2/",
    };
    expect(() => parseEnv(emulated)).toThrow(/- EASYPOST_BASE_URL points EasyPost at a carrier emulator/);
    expect(parseEnv({ ...emulated, NODE_ENV: "development" }).EASYPOST_BASE_URL).toBe("http://127.0.0.1:3002/v2/");
    expect(() => parseEnv({ ...emulated, NODE_ENV: "development", EASYPOST_TIMEOUT_MS: "soon" })).toThrow(
      /EASYPOST_TIMEOUT_MS/,
    );
  });
});
