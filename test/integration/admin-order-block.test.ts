import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { routeShopTrafficTo } from "../emulator/shop-routing";
import { legacyId, type Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import { BROWSER_UA } from "../support/server";
import type * as ViewModule from "../../app/services/orders/order-policy-view.server";

const store = createStore();
const other = createStore({ domain: "other-boutique.myshopify.com", name: "Other Boutique" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let loader: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
let view: typeof ViewModule;
/** Orders are placed at fixed times (a Wednesday morning in New York), so no test reads the wall clock. */
const NOW = new Date("2026-11-18T15:00:00Z");
const hours = (n: number) => new Date(NOW.getTime() - n * 3_600_000);
let delivered: Node;
let placed: Node;
let othersOrder: Node;

beforeAll(async () => {
  app = await startAppHarness(store, { otherStores: [other] });
  // The Shopify library reaches each shop (token exchange, Admin API) at its emulator.
  routeShopTrafficTo(store.domain, app.emulatorOf(store.domain).origin);
  routeShopTrafficTo(other.domain, app.emulatorOf(other.domain).origin);
  const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
  delivered = orderAt(store, {
    customer: maya,
    items: [
      oneOfAKind(store, { title: "Rolex Datejust", priceCents: 820_000 }),
      oneOfAKind(store, { title: "Hermès scarf", priceCents: 30_000, compareAtPriceCents: 45_000 }),
    ],
    stage: "delivered",
    payment: "card",
    placedAt: hours(24 * 30),
    shippedAfterHours: 20,
    deliveredAfterHours: 90,
  });
  placed = orderAt(store, {
    customer: maya,
    items: [oneOfAKind(store, { title: "Cartier Love bracelet", priceCents: 690_000 })],
    stage: "paid",
    payment: "paypal",
    placedAt: hours(1),
  });
  othersOrder = orderAt(other, {
    items: [oneOfAKind(other, { title: "Chanel bag", priceCents: 520_000 })],
    stage: "paid",
    placedAt: hours(2),
  });
  for (const shop of [store.domain, other.domain]) await app.emulatorOf(shop).webhooks.idle();
  await app.drain();
  // Webhooks carry no compare-at price; the Admin API snapshot (reconciliation) records it, as here (RET-2).
  await app.prisma.orderLine.updateMany({
    where: { orderId: delivered.id, title: "Hermès scarf" },
    data: { compareAtCents: 45_000 },
  });
  ({ loader } = (await import("../../app/routes/api.admin.orders.$id")) as unknown as { loader: typeof loader });
  view = await import("../../app/services/orders/order-policy-view.server");
});
/** A shop's first authenticated request installs it: wait for that background work (afterInstall) to end. */
const installs = new Map<string, Date>();
async function installsFinished() {
  for (const [shop, since] of installs)
    for (let i = 0; i < 30; i++) {
      const [sync, audit] = await Promise.all([
        app.prisma.syncState.findUnique({ where: { shop } }),
        app.prisma.inventoryAudit.findUnique({ where: { shop } }),
      ]);
      if (sync?.ordersSyncedAt && sync.ordersSyncedAt >= since && audit && audit.status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
afterAll(async () => {
  await installsFinished();
  await app.close();
});

/** The block's fetch as Shopify's admin sends it: the extension's ID token as a Bearer header. */
async function fetchBlock(id: string, token?: string): Promise<Response> {
  const headers: Record<string, string> = { "user-agent": BROWSER_UA, origin: "https://extensions.shopifycdn.com" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const request = new Request(`https://policy-guard.example.com/api/admin/orders/${id}`, { headers });
  return loader({ request, params: { id }, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
}
const tokenOf = (shop = store.domain) => {
  if (!installs.has(shop)) installs.set(shop, new Date());
  return app.emulatorOf(shop).sessionToken();
};

describe("GET /api/admin/orders/:id, the order block's backend", () => {
  it("answers 401 without an ID token, and for a token not signed with the app's secret", async () => {
    const none = await fetchBlock(String(legacyId(delivered.id)));
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: "Send the admin's ID token as Authorization: Bearer <token>." });
    const forged = tokenOf().replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    expect((await fetchBlock(String(legacyId(delivered.id)), forged)).status).toBe(401);
  });

  it("returns the shop's own order with its timeline, deadlines, verdicts and CORS for the admin", async () => {
    const response = await fetchBlock(String(legacyId(delivered.id)), tokenOf());
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(body.status).toBe("ready");
    expect(body.view.order).toMatchObject({ id: delivered.id, name: delivered.name, state: "delivered" });
    expect(body.view.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(["placed", "paid", "shipped", "delivered"]),
    );
    expect(body.view.lines.map((l: { title: string }) => l.title)).toEqual(["Rolex Datejust", "Hermès scarf"]);
  });

  it("answers 404 for another shop's order, recorded in the app and real in its own shop", async () => {
    expect(await app.prisma.order.count({ where: { id: othersOrder.id, shop: other.domain } })).toBe(1);
    const response = await fetchBlock(String(legacyId(othersOrder.id)), tokenOf(store.domain));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "This shop has no such order." });
    // Its own shop sees it.
    expect((await fetchBlock(String(legacyId(othersOrder.id)), tokenOf(other.domain))).status).toBe(200);
  });

  it("says pending for the shop's order the app has not recorded yet, and 400 for an id that is not one", async () => {
    app.emulator.webhooks.hold();
    const fresh = orderAt(store, {
      items: [oneOfAKind(store, { title: "New piece", priceCents: 10_000 })],
      stage: "placed",
      placedAt: hours(0),
    });
    expect(await (await fetchBlock(String(legacyId(fresh.id)), tokenOf())).json()).toEqual({ status: "pending" });
    const bad = await fetchBlock("DROP TABLE", tokenOf());
    expect(bad.status).toBe(400);
  });
});

describe("the order's policy view (clock injected)", () => {
  const settings = presetSettings("allu");
  const viewAt = async (order: Node, now: Date) => {
    const gateway = await app.gateway(store.domain);
    const result = await view.orderPolicyView(app.prisma, gateway, store.domain, order.id, settings, now);
    if (result.status !== "ready") throw new Error(`order ${order.name} is ${result.status}`);
    return result.view;
  };
  const deliveredAt = async () =>
    (await app.prisma.orderEvent.findFirstOrThrow({ where: { orderId: delivered.id, kind: "delivered" } })).occurredAt;

  it("per line: the return window closed 14 days after delivery, and a sale item is final (RET-1, RET-2)", async () => {
    const { lines, cancellation } = await viewAt(
      delivered,
      new Date((await deliveredAt()).getTime() + 20 * 86_400_000),
    );
    const [watch, scarf] = lines;
    expect(watch!.returnable).toBe(false);
    expect(watch!.verdicts.map((v) => v.code)).toEqual(["WINDOW_CLOSED"]);
    expect(scarf!.verdicts.map((v) => v.code)).toEqual(["WINDOW_CLOSED", "FINAL_SALE"]);
    // Shipped: no longer cancellable (CAN-2).
    expect(cancellation).toMatchObject({ allowed: false, rule: "CAN-2" });
  });

  it("inside the return window a card-paid line is returnable, with its window's end", async () => {
    const { lines } = await viewAt(delivered, new Date((await deliveredAt()).getTime() + 3 * 86_400_000));
    expect(lines[0]).toMatchObject({ returnable: true, verdicts: [{ rule: "RET-1", code: "RETURNABLE" }] });
    expect(lines[0]!.windowEndsText).toMatch(/\d{4}/);
  });

  it("paid with PayPal: not returnable by card-only (RET-3); cancellable for two hours, then overdue (CAN-1)", async () => {
    const placedAt = new Date(placed.processedAt);
    const early = await viewAt(placed, new Date(placedAt.getTime() + 30 * 60_000));
    expect(early.lines[0]!.verdicts.map((v) => v.code)).toEqual(["NOT_DELIVERED", "NOT_PAID_BY_CARD"]);
    expect(early.cancellation).toMatchObject({ allowed: true, rule: "CAN-1" });
    const windowEnds = early.deadlines.find((d) => d.key === "cancellation_window_ends")!;
    expect(windowEnds).toMatchObject({ rule: "CAN-1", overdue: false });
    expect(new Date(windowEnds.at).getTime()).toBe(placedAt.getTime() + 2 * 3_600_000);

    const late = await viewAt(placed, new Date(placedAt.getTime() + 3 * 3_600_000));
    expect(late.cancellation).toMatchObject({ allowed: false, rule: "CAN-1" });
    expect(late.deadlines.find((d) => d.key === "cancellation_window_ends")).toMatchObject({ overdue: true });
  });
});
