import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSessionToken, verifySessionToken } from "./auth";
import { createStore } from "./builders";
import { startEmulator, type Emulator } from "./server";

const app = {
  apiKey: "policy-guard-test",
  secret: "session-secret",
  title: "Policy Guard",
  handle: "policy-guard",
  appUrl: "http://127.0.0.1:9",
};
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ store: createStore(), app, subscribeFromToml: false });
});
afterAll(() => emulator.close());

const exchange = (body: Record<string, string>) =>
  fetch(`${emulator.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const tokenExchange = (subject: string, secret = app.secret) => ({
  client_id: app.apiKey,
  client_secret: secret,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: subject,
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
});

describe("emulated admin: session tokens and token exchange", () => {
  it("issues session tokens the Shopify library accepts for this app only", async () => {
    const token = emulator.sessionToken();
    const api = shopifyApi({
      apiKey: app.apiKey,
      apiSecretKey: app.secret,
      scopes: [],
      hostName: "127.0.0.1",
      apiVersion: ApiVersion.October26,
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    expect(await api.session.decodeSessionToken(token)).toMatchObject({
      dest: "https://allu-demo.myshopify.com",
      aud: app.apiKey,
    });
    const other = shopifyApi({
      apiKey: app.apiKey,
      apiSecretKey: "wrong",
      scopes: [],
      hostName: "127.0.0.1",
      apiVersion: ApiVersion.October26,
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    await expect(other.session.decodeSessionToken(token)).rejects.toThrow();
  });

  it("exchanges a session token for an access token that works on the Admin API", async () => {
    const response = await exchange({ ...tokenExchange(emulator.sessionToken()), expiring: "1" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ scope: expect.stringContaining("read_orders"), expires_in: 3600 });
    const shop = await emulator.graphql("{ shop { name } }", {}, body.access_token);
    expect(shop.data.shop.name).toBe("ALLU Demo");
  });

  it("refuses wrong client credentials and forged or expired session tokens", async () => {
    expect((await (await exchange(tokenExchange(emulator.sessionToken(), "nope"))).json()).error).toBe(
      "invalid_client",
    );
    const forged = signSessionToken({ shop: "allu-demo.myshopify.com", apiKey: app.apiKey, secret: "attacker" });
    expect((await (await exchange(tokenExchange(forged))).json()).error).toBe("invalid_subject_token");
    const expired = signSessionToken({
      shop: "allu-demo.myshopify.com",
      apiKey: app.apiKey,
      secret: app.secret,
      now: new Date(Date.now() - 3_600_000),
    });
    expect((await (await exchange(tokenExchange(expired))).json()).error).toBe("invalid_subject_token");
    const otherShop = signSessionToken({ shop: "someone-else.myshopify.com", apiKey: app.apiKey, secret: app.secret });
    expect((await (await exchange(tokenExchange(otherShop))).json()).error).toBe("invalid_subject_token");
  });

  it("launches the app framed in the admin with shop, host and a fresh session token", async () => {
    const page = await (await fetch(`${emulator.adminAppUrl()}/app/inventory?tab=all`)).text();
    const target = new URL(/<iframe id="app-frame"[^>]* src="([^"]+)"/.exec(page)![1]!.replace(/&#38;/g, "&"));
    expect(target.origin + target.pathname).toBe("http://127.0.0.1:9/app/inventory");
    expect(target.searchParams.get("tab")).toBe("all");
    expect(target.searchParams.get("shop")).toBe("allu-demo.myshopify.com");
    expect(target.searchParams.get("embedded")).toBe("1");
    expect(Buffer.from(target.searchParams.get("host")!, "base64url").toString()).toBe(
      "admin.shopify.com/store/allu-demo",
    );
    expect(verifySessionToken(target.searchParams.get("id_token")!, app.secret)).toMatchObject({ aud: app.apiKey });
    // App Bridge asks the admin for fresh tokens; the admin's App Bridge script is served alongside.
    const fresh = (await (await fetch(`${emulator.origin}/admin/app-bridge/session-token`, { method: "POST" })).json())
      .token;
    expect(verifySessionToken(fresh, app.secret)).toMatchObject({ dest: "https://allu-demo.myshopify.com" });
    expect((await fetch(emulator.appBridgeUrl())).headers.get("content-type")).toMatch(/javascript/);
  });
});
