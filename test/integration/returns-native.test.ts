import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { approveReturn, requestNativeReturn } from "../emulator/actions/returns";
import type { Node } from "../emulator/store";
import { customer, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

let w: PortalWorld;
let ann: Node;
const delivered = {
  placedAt: T("2026-11-02T15:00:00Z"),
  shippedAt: T("2026-11-03T15:00:00Z"),
  deliveredAt: T("2026-11-06T19:00:00Z"),
};

beforeAll(async () => {
  w = await portalWorld();
  ann = customer(w.store, "Ann");
});
afterAll(() => w.app.close());

/** The shopper asks through Shopify's own self-serve returns; the app hears of it by returns/request. */
async function nativeRequest(order: Node, at: Date, reason = "UNWANTED") {
  w.store.setClock(at);
  const fli = order.fulfillments[0].fulfillmentLineItems[0];
  const ret = requestNativeReturn(
    w.store,
    order,
    [{ fulfillmentLineItemId: fli.id, quantity: 1, returnReason: reason }],
    at,
  );
  await w.sync(at);
  await w.sync(at); // the decline's own returns/decline
  return ret;
}

const stored = (id: string) => w.app.prisma.return.findUniqueOrThrow({ where: { id } });

describe("native self-serve returns are checked against the same rules", () => {
  it("RET-3: a PayPal order's native return is declined (OTHER) with the policy's sentence as the note, once", async () => {
    const order = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Bag", priceCents: 60_000 }],
      payments: [{ kind: "paypal" }],
      ...delivered,
    });
    await w.sync();
    const at = T("2026-11-10T15:00:00Z");
    const ret = await nativeRequest(order, at);
    expect(ret.status).toBe("DECLINED");
    expect(ret.decline.reason).toBe("OTHER");
    expect(ret.decline.note).toMatch(/paid with PayPal \(RET-3\)\.$/);
    expect(await stored(ret.id)).toMatchObject({
      source: "native",
      status: "declined",
      reason: "change_of_mind",
      declineReason: "other",
      declineNote: ret.decline.note,
    });
    const events = await w.app.prisma.orderEvent.findMany({ where: { ref: ret.id }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["return_requested", "return_declined"]);
    // Replayed (Shopify delivers at least once): Shopify's return is declined once, nothing is added.
    const first = await w.app.prisma.webhookEvent.findFirstOrThrow({
      where: { topic: "returns/request", body: { contains: ret.id } },
    });
    const replay = await w.app.deliver(first.body, {
      topic: "returns/request",
      shop: w.store.domain,
      webhookId: `${first.webhookId}-again`,
    });
    expect(replay.status).toBe(200);
    await w.app.drain(at);
    expect(
      await w.app.prisma.webhookEvent.count({
        where: { topic: "returns/request", status: "done", body: { contains: ret.id } },
      }),
    ).toBe(2);
    expect(ret.status).toBe("DECLINED");
    expect(await w.app.prisma.orderEvent.count({ where: { ref: ret.id } })).toBe(2);
    const row = await w.app.prisma.shopifyAction.findFirstOrThrow({ where: { key: `decline-native:${ret.id}` } });
    expect(row.status).toBe("done");
  });

  it("RET-1 and RET-2: past the window → RETURN_PERIOD_ENDED; a final-sale item → FINAL_SALE (facts fetched first)", async () => {
    const late = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    const sale = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Sale ring", priceCents: 30_000, compareAtPriceCents: 45_000 }],
      ...delivered,
    });
    await w.sync();
    const lateReturn = await nativeRequest(late, T("2026-11-21T15:00:00Z"));
    expect(lateReturn.decline).toMatchObject({ reason: "RETURN_PERIOD_ENDED" });
    expect(lateReturn.decline.note).toBe("Delivered 15 days ago: the 14-day window closed on Nov 20 (RET-1).");
    const saleReturn = await nativeRequest(sale, T("2026-11-10T15:00:00Z"));
    expect(saleReturn.decline).toMatchObject({
      reason: "FINAL_SALE",
      note: "Final sale: sale items cannot be returned (RET-2).",
    });
  });

  it("an eligible native return is kept as requested; a wrong item reported natively is a claim with its answer clock", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    const claim = storyOrder(w.store, { customer: ann, items: [{ title: "Bag", priceCents: 60_000 }], ...delivered });
    await w.sync();
    const ret = await nativeRequest(order, T("2026-11-10T15:00:00Z"));
    expect(ret.status).toBe("REQUESTED");
    expect(await stored(ret.id)).toMatchObject({ source: "native", status: "requested" });
    const wrong = await nativeRequest(claim, T("2026-11-10T15:00:00Z"), "WRONG_ITEM");
    expect(wrong.status).toBe("REQUESTED");
    expect(await stored(wrong.id)).toMatchObject({ reason: "wrong_item" });
    expect(await w.app.prisma.orderDeadline.findFirst({ where: { key: `return_answer:${wrong.id}` } })).toMatchObject({
      rule: "RET-9",
      dueAt: T("2026-11-11T15:00:00Z"),
    });

    // The merchant approves it in Shopify: the stored return follows, with the step at Shopify's time.
    approveReturn(w.store, ret, T("2026-11-11T10:00:00Z"));
    await w.app.emulator.webhooks.idle();
    await w.app.drain(T("2026-11-11T10:00:00Z"));
    expect(await stored(ret.id)).toMatchObject({ status: "approved" });
  });

  it("with returns.declineIneligibleNative off, an ineligible native return is recorded and left to staff", async () => {
    const settings = presetSettings();
    settings.returns.declineIneligibleNative = false;
    await w.app.prisma.shop.update({ where: { domain: w.store.domain }, data: { settings: settings as object } });
    const order = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Brooch", priceCents: 60_000 }],
      payments: [{ kind: "paypal" }],
      ...delivered,
    });
    await w.sync();
    const ret = await nativeRequest(order, T("2026-11-10T15:00:00Z"));
    expect(ret.status).toBe("REQUESTED");
    expect(await stored(ret.id)).toMatchObject({ source: "native", status: "requested" });
    await w.app.prisma.shop.update({
      where: { domain: w.store.domain },
      data: { settings: presetSettings() as object },
    });
  });
});
