/**
 * Every customer-account endpoint and the app-proxy pages refuse what Shopify would not have
 * signed for this app, this shop and this customer, and create nothing when they refuse.
 * Date is faked to PORTAL_NOW for the whole process (app, emulator, tokens): no test depends
 * on the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signCustomerAccountToken } from "../emulator/customer-account";
import { legacyId } from "../emulator/store";
import { signProxyQuery, storefront } from "../emulator/storefront-proxy";
import { BROWSER_UA } from "../support/server";
import { PORTAL_API_KEY, startPortalApp, type PortalApp } from "./portal-app";
import { PORTAL_NOW, portalStore, type PortalStore } from "./portal-store";

let shop: PortalStore;
let app: PortalApp;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(PORTAL_NOW);
  shop = portalStore();
  app = await startPortalApp(shop.store);
}, 300_000);
afterAll(async () => {
  await app?.close();
  vi.useRealTimers();
});

const mayaId = () => shop.maya.id;
const at = (seconds: number) => new Date(PORTAL_NOW.getTime() + seconds * 1000);

/** One call per endpoint, as the extensions make them. */
const ENDPOINTS = {
  options: (orderId: string) => ({ path: `/api/portal/options?orderId=${encodeURIComponent(orderId)}`, init: {} }),
  status: (orderId: string) => ({ path: `/api/portal/status?orderId=${encodeURIComponent(orderId)}`, init: {} }),
  request: (orderId: string, lineId = "gid://shopify/LineItem/1") => {
    const form = new FormData();
    form.set("orderId", orderId);
    form.set("requestKey", `key-${orderId.split("/").pop()}-0001`);
    form.set("reason", "change_of_mind");
    form.set("lines", JSON.stringify([{ lineId, quantity: 1 }]));
    return { path: "/api/portal/request", init: { method: "POST", body: form } };
  },
  cancel: (orderId: string) => ({
    path: "/api/portal/cancel",
    init: { method: "POST", body: JSON.stringify({ orderId }), headers: { "Content-Type": "application/json" } },
  }),
} as const;
type Endpoint = keyof typeof ENDPOINTS;

async function call(endpoint: Endpoint, orderId: string, token: string | null, extra: Record<string, string> = {}) {
  const { path, init } = ENDPOINTS[endpoint](orderId);
  const headers: Record<string, string> = {
    "User-Agent": BROWSER_UA,
    Origin: "https://extensions.shopifycdn.com",
    ...((init as { headers?: Record<string, string> }).headers ?? {}),
    ...extra,
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`${app.appUrl}${path}`, { ...init, headers });
}

const orderLine = (order: { lineItems: Array<{ id: string }> }) => order.lineItems[0]!.id;

describe("customer account endpoints: the session token", () => {
  const tampered = (): Array<[string, string | null]> => {
    const base = { shop: shop.store.domain, apiKey: PORTAL_API_KEY, secret: app.secret, customerId: mayaId() };
    const good = signCustomerAccountToken(base);
    const [header, payload] = good.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    return [
      ["no token at all", null],
      ["a signature made with another secret", signCustomerAccountToken({ ...base, secret: "not-the-app-secret" })],
      ["alg none, unsigned", none],
      [
        "a payload edited after signing",
        `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: shop.james.id })).toString("base64url")}.${good.split(".")[2]}`,
      ],
      [
        "expired 100 s ago (past the 10 s leeway)",
        signCustomerAccountToken({ ...base, now: at(-400), ttlSeconds: 300 }),
      ],
      [
        "not valid for another minute",
        signCustomerAccountToken({ ...base, claims: { nbf: Math.floor(at(60).getTime() / 1000) } }),
      ],
      ["issued for another app (aud)", signCustomerAccountToken({ ...base, apiKey: "someone-elses-app" })],
      [
        "for a shop that has not installed the app (dest)",
        signCustomerAccountToken({ ...base, shop: "not-installed.myshopify.com" }),
      ],
      ["with no customer (no sub)", signCustomerAccountToken({ ...base, customerId: undefined })],
    ];
  };

  for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
    it(`${endpoint}: refuses every forged, stale or foreign token and creates nothing`, async () => {
      const orderId = endpoint === "cancel" ? shop.mayaJustPlaced.id : shop.mayaDelivered.id;
      const before = await app.counts();
      for (const [name, token] of tampered()) {
        const response = await call(endpoint, orderId, token);
        expect([401, 403], `${endpoint} with ${name}: ${response.status}`).toContain(response.status);
        // The extension can read why: Shopify's CORS headers are on refusals too.
        expect(response.headers.get("access-control-allow-origin"), name).toBe("*");
      }
      expect(await app.counts()).toEqual(before);
    });

    it(`${endpoint}: Maya's token with James's order is 404, the same as an order that does not exist`, async () => {
      const before = await app.counts();
      const theirs = await call(endpoint, shop.jamesDelivered.id, app.token(mayaId()));
      const none = await call(endpoint, "gid://shopify/Order/999999999", app.token(mayaId()));
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      const body = await theirs.json();
      expect(body.error.code).toBe("NOT_FOUND");
      expect(body).toEqual(await none.json());
      expect(JSON.stringify(body)).not.toContain(shop.jamesDelivered.name);
      expect(await app.counts()).toEqual(before);
    });
  }

  it("answers the preflight as Shopify's helper does", async () => {
    const response = await fetch(`${app.appUrl}/api/portal/request`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://extensions.shopifycdn.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
        "User-Agent": BROWSER_UA,
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("the same token, valid, gets Maya's own order's options (the refusals above are not the default)", async () => {
    const response = await call("options", shop.mayaDelivered.id, app.token(mayaId()));
    expect(response.status, await response.clone().text()).toBe(200);
    const options = await response.json();
    expect(options.orderName).toBe(shop.mayaDelivered.name);
    expect(options.lines[0].returnable).toBe(true);
    expect(options.actions.requestReturn).toBe(true);
  });

  it("Maya's return request on her own order creates one return in Shopify, however often it is sent", async () => {
    const before = await app.counts();
    const send = () => {
      const form = new FormData();
      form.set("orderId", shop.mayaDelivered.id);
      form.set("requestKey", "maya-return-once-0001");
      form.set("reason", "change_of_mind");
      form.set("lines", JSON.stringify([{ lineId: orderLine(shop.mayaDelivered as never), quantity: 1 }]));
      return fetch(`${app.appUrl}/api/portal/request`, {
        method: "POST",
        body: form,
        headers: { Authorization: `Bearer ${app.token(mayaId())}`, "User-Agent": BROWSER_UA },
      });
    };
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(200);
    const again = await send();
    expect(again.status).toBe(200);
    const [a, b] = [await first.json(), await again.json()];
    expect(b.returnId).toBe(a.returnId);
    expect(b.repeated).toBe(true);
    expect((await app.counts()).returns).toBe(before.returns + 1);
    expect(shop.store.returns.at(-1)!.order.id).toBe(shop.mayaDelivered.id);
  });

  it("a photo larger than the limit is refused while it streams in, and nothing is created", async () => {
    const before = await app.counts();
    const form = new FormData();
    form.set("orderId", shop.mayaDelivered.id);
    form.set("requestKey", "maya-big-photo-0001");
    form.set("reason", "damaged");
    form.set("lines", JSON.stringify([{ lineId: orderLine(shop.mayaDelivered as never), quantity: 1 }]));
    form.set("photos", new Blob([new Uint8Array(11 * 1024 * 1024)], { type: "image/jpeg" }), "big.jpg");
    const response = await fetch(`${app.appUrl}/api/portal/request`, {
      method: "POST",
      body: form,
      headers: { Authorization: `Bearer ${app.token(mayaId())}`, "User-Agent": BROWSER_UA },
    });
    expect(response.status).toBe(422);
    expect((await response.json()).error).toMatchObject({ code: "BAD_PHOTO", field: "photos" });
    expect(await app.counts()).toEqual(before);
  });
});

describe("online store pages: the app proxy signature", () => {
  const signed = (path: string, customerId: number | null, atSeconds = 0) => {
    const query = signProxyQuery({
      query: new URLSearchParams(),
      shop: shop.store.domain,
      customerId,
      pathPrefix: "/apps/returns",
      secret: app.secret,
      at: at(atSeconds),
    });
    return `${app.appUrl}/apps/returns${path}?${query}`;
  };
  const get = (url: string) => fetch(url, { headers: { "User-Agent": BROWSER_UA } });
  const mayaNumber = () => legacyId(shop.maya.id);

  it("a correctly signed request shows Maya her orders (the control for the refusals below)", async () => {
    const response = await get(signed("", mayaNumber()));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(shop.mayaDelivered.name);
    expect(page).not.toContain(shop.jamesDelivered.name);
  });

  it("refuses an unsigned request, even one naming a customer", async () => {
    const url = `${app.appUrl}/apps/returns?shop=${shop.store.domain}&logged_in_customer_id=${mayaNumber()}&path_prefix=%2Fapps%2Freturns&timestamp=${Math.floor(PORTAL_NOW.getTime() / 1000)}`;
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain(shop.mayaDelivered.name);
  });

  it("refuses a signed request whose customer was swapped afterwards", async () => {
    const url = new URL(signed("", legacyId(shop.james.id)));
    url.searchParams.set("logged_in_customer_id", String(mayaNumber()));
    const response = await get(url.toString());
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain(shop.mayaDelivered.name);
  });

  it("refuses a replay: signed 91 s ago is too old, 89 s ago is still accepted", async () => {
    expect((await get(signed("", mayaNumber(), -91))).status).toBe(400);
    expect((await get(signed("", mayaNumber(), 91))).status).toBe(400);
    expect((await get(signed("", mayaNumber(), -89))).status).toBe(200);
  });

  it("a replayed or unsigned form post creates nothing", async () => {
    const before = await app.counts();
    const form = new FormData();
    form.set("requestKey", "proxy-replay-0001");
    form.set("reason", "change_of_mind");
    form.set(`quantity:${orderLine(shop.mayaDelivered as never)}`, "1");
    const order = legacyId(shop.mayaDelivered.id);
    const replay = await fetch(signed(`/orders/${order}/request`, mayaNumber(), -120), {
      method: "POST",
      body: form,
      headers: { "User-Agent": BROWSER_UA },
    });
    expect(replay.status).toBe(400);
    const cancel = await fetch(
      `${app.appUrl}/apps/returns/orders/${legacyId(shop.mayaJustPlaced.id)}/cancel?shop=${shop.store.domain}&logged_in_customer_id=${mayaNumber()}`,
      {
        method: "POST",
        headers: { "User-Agent": BROWSER_UA },
      },
    );
    expect(cancel.status).toBe(400);
    expect(await app.counts()).toEqual(before);
  });

  it("Maya, logged in, asking for James's order: 404 on the page, the request and the cancellation, nothing created", async () => {
    const before = await app.counts();
    const theirs = legacyId(shop.jamesDelivered.id);
    const page = await get(signed(`/orders/${theirs}`, mayaNumber()));
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(shop.jamesDelivered.name);
    const form = new FormData();
    form.set("requestKey", "proxy-theirs-0001");
    form.set("reason", "change_of_mind");
    form.set(`quantity:${orderLine(shop.jamesDelivered as never)}`, "1");
    const request = await fetch(signed(`/orders/${theirs}/request`, mayaNumber()), {
      method: "POST",
      body: form,
      headers: { "User-Agent": BROWSER_UA },
    });
    expect(request.status).toBe(404);
    const cancel = await fetch(signed(`/orders/${theirs}/cancel`, mayaNumber()), {
      method: "POST",
      headers: { "User-Agent": BROWSER_UA },
    });
    expect(cancel.status).toBe(404);
    expect(await app.counts()).toEqual(before);
  });

  it("not logged in: a link to log in that comes back to the portal", async () => {
    const response = await get(signed("", null));
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain('href="/account/login?return_url=%2Fapps%2Freturns"');
    expect(page).not.toContain(shop.mayaDelivered.name);
  });

  it("through the storefront, the emulator signs what it forwards (the proxy the browser test drives)", async () => {
    const proxy = storefront(shop.store);
    const response = await fetch(`${app.emulator.origin}/apps/returns`, { headers: { "User-Agent": BROWSER_UA } });
    expect(response.status).toBe(401);
    const forwarded = proxy.forwarded.at(-1)!;
    expect(forwarded.path).toBe("/apps/returns");
    expect(forwarded.query.get("logged_in_customer_id")).toBe("");
    expect(forwarded.query.get("signature")).toMatch(/^[0-9a-f]{64}$/);
  });
});
