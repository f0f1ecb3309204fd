/**
 * CAN-4 through the real routes: the customer account endpoint (session token with audience) and
 * the online store's app-proxy page (signature), against the store emulator. Date is faked to each
 * request's moment, so the app, the emulator and the tokens agree; nothing reads the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PAYMENT_CHANGE_SENTENCES } from "../../app/policy/payment-change";
import { signCustomerAccountToken } from "../emulator/customer-account";
import { routeShopTrafficTo } from "../emulator/shop-routing";
import { legacyId, type Node } from "../emulator/store";
import { signProxyQuery } from "../emulator/storefront-proxy";
import { APP_SECRET } from "../support/app-harness";
import { BROWSER_UA } from "../support/server";
import { customer, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

type RouteArgs = { request: Request; params: Record<string, string>; context: object };
type Route = (args: RouteArgs) => Promise<Response>;

let w: PortalWorld;
let ann: Node;
let bob: Node;
let api: { action: Route; loader: Route };
let proxy: { action: Route; loader: Route };
// Each order is placed later than the last: the app's clock, like Shopify's, only moves forward.
let placedAt = T("2026-11-02T15:00:00Z"); // Monday 10:00 Eastern
const later = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
const at1h50 = () => later(placedAt, 110);
const at2h10 = () => later(placedAt, 130);

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(placedAt);
  w = await portalWorld();
  routeShopTrafficTo(w.store.domain, w.app.emulator.origin);
  await w.app.storeOfflineSession();
  ann = customer(w.store, "Ann");
  bob = customer(w.store, "Bob");
  api = (await import("../../app/routes/api.portal.change-payment")) as unknown as typeof api;
  proxy = (await import("../../app/routes/apps.returns.orders.$orderId.change-payment")) as unknown as typeof proxy;
}, 60_000);
afterAll(async () => {
  await w?.app.close();
  vi.useRealTimers();
});

/** The moment of a request: the app, the emulator and the token all see it. */
function at(moment: Date) {
  vi.setSystemTime(moment);
  w.store.setClock(moment);
}

/** The extension's call: its session token (this app's audience) as a Bearer header. */
async function callApi(method: "GET" | "POST", shopper: Node, order: Node): Promise<{ status: number; body: any }> {
  const token = signCustomerAccountToken({
    shop: w.store.domain,
    apiKey: "integration-key",
    secret: APP_SECRET,
    customerId: shopper.id,
  });
  const headers = {
    "User-Agent": BROWSER_UA,
    Origin: "https://extensions.shopifycdn.com",
    Authorization: `Bearer ${token}`,
    "Content-Type": "application/json",
  };
  const url = "https://policy-guard.example.com/api/portal/change-payment";
  const request =
    method === "GET"
      ? new Request(`${url}?orderId=${encodeURIComponent(order.id)}`, { headers })
      : new Request(url, { method, headers, body: JSON.stringify({ orderId: order.id }) });
  const response = await (method === "GET" ? api.loader : api.action)({ request, params: {}, context: {} });
  return { status: response.status, body: await response.json() };
}

/** The storefront's page as Shopify forwards it through the app proxy: signed, with the logged-in customer. */
async function callProxy(
  method: "GET" | "POST",
  shopper: Node,
  order: Node,
): Promise<{ status: number; html: string }> {
  const query = signProxyQuery({
    query: new URLSearchParams(),
    shop: w.store.domain,
    customerId: legacyId(shopper.id),
    pathPrefix: "/apps/returns",
    secret: APP_SECRET,
    at: new Date(),
  });
  const orderId = String(legacyId(order.id));
  const request = new Request(
    `https://policy-guard.example.com/apps/returns/orders/${orderId}/change-payment?${query}`,
    { method, headers: { "User-Agent": BROWSER_UA } },
  );
  const response = await (method === "GET" ? proxy.loader : proxy.action)({
    request,
    params: { orderId },
    context: {},
  });
  return { status: response.status, html: await response.text() };
}

const refunds = (order: Node) => (order.transactions as Node[]).filter((t) => t.kind === "REFUND");
const variantNumber = (line: Node) => legacyId(line.variant.id);
const cartOf = (order: Node) =>
  `https://${w.store.domain}/cart/${(order.lineItems as Node[]).map((l) => `${variantNumber(l)}:${l.quantity}`).join(",")}`;

async function placed(shopper: Node, titles: string[]) {
  placedAt = later(placedAt, 24 * 60);
  at(placedAt);
  const order = storyOrder(w.store, {
    customer: shopper,
    items: titles.map((title) => ({ title, priceCents: 40_000 })),
    placedAt,
  });
  await w.sync(placedAt);
  return order;
}

describe("changing the payment method from the customer account (CAN-4)", () => {
  it("at 1 h 50 min: explained first, then the order is cancelled (refund, restock) and a cart with the same variants comes back", async () => {
    const order = await placed(ann, ["Kelly bag", "Cartier ring"]);
    at(at1h50());
    const offer = await callApi("GET", ann, order);
    expect(offer.status).toBe(200);
    expect(offer.body.offer).toMatchObject({
      allowed: true,
      rule: "CAN-4",
      explain: PAYMENT_CHANGE_SENTENCES.explain,
      released: PAYMENT_CHANGE_SENTENCES.released,
    });
    expect(order.cancelledAt).toBeNull();

    const done = await callApi("POST", ann, order);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ orderId: order.id, rule: "CAN-4", repeated: false });
    expect(done.body.cartUrl).toBe(cartOf(order));
    expect(done.body.cartUrl).toMatch(/^https:\/\/allu-demo\.myshopify\.com\/cart\/\d+:1,\d+:1$/);
    expect(done.body.message).toContain("someone else may buy them before you check out again (INV-3)");
    expect(order.cancelledAt).toBe(at1h50().toISOString());
    expect(order.cancelReason).toBe("CUSTOMER");
    expect(refunds(order).map((t) => t.amountSet.shopMoney.amount)).toEqual(["825.00"]);
    for (const line of order.lineItems as Node[])
      expect(line.variant.inventoryItem.inventoryLevels[0]._quantities.available).toBe(1);
    const events = await w.app.prisma.orderEvent.findMany({ where: { orderId: order.id, kind: "cancelled" } });
    expect(events.map((e) => e.occurredAt)).toEqual([at1h50()]);
  });

  it("submitted twice at once: Shopify cancels once, and asking again gives the same cart", async () => {
    const order = await placed(ann, ["Rolex", "Hermès scarf"]);
    at(at1h50());
    w.calls.length = 0;
    const answers = await Promise.all([callApi("POST", ann, order), callApi("POST", ann, order)]);
    // The second click either waits for the first (409, "already being sent") or sees it done.
    expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const again = await callApi("POST", ann, order);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ repeated: true, cartUrl: cartOf(order) });
    expect(refunds(order)).toHaveLength(1);
    expect(await w.app.prisma.shopifyAction.count({ where: { key: `cancel:${order.id}` } })).toBe(1);
    expect(await w.app.prisma.orderEvent.count({ where: { orderId: order.id, kind: "cancelled" } })).toBe(1);
  });

  it("at 2 h 10 min: refused with the cancellation's own sentence and how to reach the store; nothing cancelled", async () => {
    const order = await placed(ann, ["Chanel bag"]);
    at(at2h10());
    const offer = await callApi("GET", ann, order);
    expect(offer.body.offer).toMatchObject({ allowed: false, rule: "CAN-1", code: "WINDOW_CLOSED", explain: null });
    const refused = await callApi("POST", ann, order);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toEqual({
      code: "WINDOW_CLOSED",
      message:
        "Orders can be cancelled only within 2 hours of the order confirmation (CAN-1). To ask about this order, reply to your order confirmation email and the store will help.",
    });
    expect(order.cancelledAt).toBeNull();
    expect(refunds(order)).toHaveLength(0);
  });

  it("another customer's order: 404 as if it did not exist, and it stays as it was", async () => {
    const order = await placed(bob, ["Dior saddle"]);
    at(at1h50());
    for (const method of ["GET", "POST"] as const) {
      const answer = await callApi(method, ann, order);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe("NOT_FOUND");
    }
    expect(order.cancelledAt).toBeNull();
    expect(await w.app.prisma.shopifyAction.count({ where: { key: `cancel:${order.id}` } })).toBe(0);
  });
});

describe("changing the payment method on the online store (app proxy)", () => {
  it("explains, then cancels and links the cart; at 2 h 10 min refuses with how to contact the store", async () => {
    const order = await placed(ann, ["Loewe puzzle"]);
    at(at1h50());
    const page = await callProxy("GET", ann, order);
    expect(page.status).toBe(200);
    expect(page.html).toContain(PAYMENT_CHANGE_SENTENCES.released);
    const done = await callProxy("POST", ann, order);
    expect(done.status).toBe(200);
    expect(done.html).toContain(`href="${cartOf(order)}"`);
    expect(order.cancelledAt).toBe(at1h50().toISOString());

    const late = await placed(ann, ["Goyard tote"]);
    at(at2h10());
    const refused = await callProxy("POST", ann, late);
    expect(refused.status).toBe(422);
    expect(refused.html).toContain("reply to your order confirmation email");
    expect(late.cancelledAt).toBeNull();
    expect((await callProxy("POST", bob, late)).status).toBe(404);
  });
});
