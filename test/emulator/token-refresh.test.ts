import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore } from "./builders";
import { startEmulator, type Emulator } from "./server";

/** Expiring offline tokens as Shopify issues them, on a clock the test moves. */
const app = {
  apiKey: "policy-guard-test",
  secret: "refresh-secret",
  title: "Policy Guard",
  handle: "policy-guard",
  appUrl: "http://127.0.0.1:9",
};
const HOUR = 3_600_000;
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ store: createStore(), app, subscribeFromToml: false, now: () => 0 });
});
afterAll(() => emulator.close());

const refresh = async (refreshToken: string, secret = app.secret) => {
  const response = await fetch(`${emulator.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_id: app.apiKey,
      client_secret: secret,
      grant_type: "refresh_token",
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: await response.json() };
};
const works = async (token: string) => (await emulator.graphql("{ shop { name } }", {}, token)).data?.shop?.name;

describe("emulated token endpoint: expiring offline tokens", () => {
  it("an access token works for an hour; a refresh answers a new pair with Shopify's lifetimes", async () => {
    const install = emulator.installExpiringToken();
    expect(install).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7_776_000 });
    expect(await works(install.access_token)).toBe("ALLU Demo");
    emulator.clock.advance(HOUR + 1000);
    expect(await emulator.graphql("{ shop { name } }", {}, install.access_token)).toMatchObject({
      errors: expect.stringContaining("Invalid API key or access token"),
    });

    const first = await refresh(install.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7_776_000 });
    expect(first.body.scope).toContain("read_orders");
    expect(first.body.refresh_token).not.toBe(install.refresh_token);
    expect(await works(first.body.access_token)).toBe("ALLU Demo");
  });

  it("a used refresh token can be retried until its replacement is used, then it is refused", async () => {
    const install = emulator.installExpiringToken();
    const first = await refresh(install.refresh_token);
    // The answer was lost: the same refresh token still works, and gives another pair.
    const retry = await refresh(install.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.access_token).not.toBe(first.body.access_token);
    // Using one replacement retires the token it replaced and the other replacement.
    expect((await refresh(retry.body.refresh_token)).status).toBe(200);
    expect(await refresh(install.refresh_token)).toEqual({
      status: 400,
      body: expect.objectContaining({ error: "invalid_grant" }),
    });
    expect((await refresh(first.body.refresh_token)).body.error).toBe("invalid_grant");
    // Access tokens already issued stay valid for their hour.
    expect(await works(first.body.access_token)).toBe("ALLU Demo");
  });

  it("refuses an unknown or expired refresh token and wrong client credentials", async () => {
    expect((await refresh("shprt_unknown")).body.error).toBe("invalid_grant");
    const install = emulator.installExpiringToken();
    expect((await refresh(install.refresh_token, "wrong")).body.error).toBe("invalid_client");
    emulator.clock.advance(91 * 24 * HOUR);
    expect((await refresh(install.refresh_token)).body.error).toBe("invalid_grant");
  });
});
