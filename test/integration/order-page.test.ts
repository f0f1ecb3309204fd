import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { legacyId, type Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import { BROWSER_UA } from "../support/server";
import type * as OrderView from "../../app/services/orders/order-view.server";

const store = createStore({ domain: "page-shop.myshopify.com", name: "Page Shop" });
const other = createStore({ domain: "page-other.myshopify.com", name: "Page Other" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let view: typeof OrderView;
let loader: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const T = (iso: string) => new Date(iso);
const NOW = T("2026-11-12T17:00:00Z");
let mine: Node;
let theirs: Node;

beforeAll(async () => {
  app = await startAppHarness(store, { otherStores: [other] });
  mine = orderAt(store, {
    customer: shopper(store, { firstName: "Ana", lastName: "B", email: "ana@example.com" }),
    items: [oneOfAKind(store, { title: "Kelly 28", priceCents: 900_000 })],
    stage: "shipped",
    placedAt: T("2026-11-02T15:00:00Z"),
  });
  theirs = orderAt(other, {
    items: [oneOfAKind(other, { title: "Chanel bag", priceCents: 520_000 })],
    stage: "paid",
    placedAt: T("2026-11-03T15:00:00Z"),
  });
  for (const shop of [store.domain, other.domain]) await app.emulatorOf(shop).webhooks.idle();
  await app.drain(NOW);
  // The shop is installed: its offline session is stored, so the admin request needs no token exchange.
  await app.prisma.session.create({
    data: {
      id: `offline_${store.domain}`,
      shop: store.domain,
      state: "",
      isOnline: false,
      scope: "read_orders",
      accessToken: app.emulator.installToken(),
    },
  });
  view = await import("../../app/services/orders/order-view.server");
  ({ loader } = (await import("../../app/routes/app.orders.$id")) as unknown as { loader: typeof loader });
}, 60_000);
afterAll(() => app?.close());

/** The page's data request as the embedded admin sends it: the session token as a Bearer header. */
async function openPage(id: string): Promise<{ status: number; body: unknown }> {
  const request = new Request(`https://policy-guard.example.com/app/orders/${id}?_data=routes%2Fapp.orders.%24id`, {
    headers: { "user-agent": BROWSER_UA, authorization: `Bearer ${app.emulator.sessionToken()}` },
  });
  try {
    return { status: 200, body: await loader({ request, params: { id }, context: {} }) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: await thrown.text() };
    throw thrown;
  }
}

describe("the order page: one order's timeline, of this shop only", () => {
  it("shows the shop's own order with its events, deadlines (overdue ones marked) and the picture", async () => {
    const page = await openPage(String(legacyId(mine.id)));
    expect(page.status).toBe(200);
    const body = page.body as OrderView.OrderView;
    expect(body.order).toMatchObject({ id: mine.id, name: mine.name });
    expect(body.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["placed", "paid", "shipped"]));
    expect(body.picture.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["placed", "shipped"]));
    expect(body.picture.deadlines.map((d) => d.rule)).toEqual(expect.arrayContaining(["CAN-1", "TML-3", "TML-5"]));
  });

  it("answers 404 for another shop's order, which exists in the app and in its own shop", async () => {
    expect(await app.prisma.order.count({ where: { id: theirs.id, shop: other.domain } })).toBe(1);
    const page = await openPage(String(legacyId(theirs.id)));
    expect(page).toEqual({ status: 404, body: "This shop has no such order." });
    await expect(
      view.loadOrderView(app.prisma, store.domain, theirs.id, presetSettings("allu"), NOW),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Its own shop reads it.
    const own = await view.loadOrderView(app.prisma, other.domain, theirs.id, presetSettings("allu"), NOW);
    expect(own.order.name).toBe(theirs.name);
  });

  it("answers 400 for an id that is not Shopify's number", async () => {
    expect((await openPage("1 OR 1=1")).status).toBe(400);
  });

  it("marks the deadlines passed without their event as overdue, as of the clock given", async () => {
    // Shipped 3 Nov; by 1 Dec the TML-3 delivery window (10 business days) has passed with no delivery.
    const late = await view.loadOrderView(
      app.prisma,
      store.domain,
      mine.id,
      presetSettings("allu"),
      T("2026-12-01T12:00:00Z"),
    );
    const deliveryBy = late.deadlines.find((d) => d.key === "delivery_expected_by")!;
    expect(deliveryBy).toMatchObject({ overdue: true, settled: false });
    expect(late.picture.deadlines.find((d) => d.key === "delivery_expected_by")!.state).toBe("overdue");
    expect(late.deadlines.find((d) => d.key === "ship_by")).toMatchObject({ settled: true, overdue: false });
    const early = await view.loadOrderView(app.prisma, store.domain, mine.id, presetSettings("allu"), NOW);
    expect(early.deadlines.find((d) => d.key === "delivery_expected_by")!.overdue).toBe(false);
  });
});
