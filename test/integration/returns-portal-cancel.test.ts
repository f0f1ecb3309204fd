import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fulfill } from "../emulator/actions/orders";
import type { Node } from "../emulator/store";
import { customer, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

let w: PortalWorld;
let ann: Node;
const placedAt = T("2026-11-02T15:00:00Z"); // Monday 10:00 Eastern

beforeAll(async () => {
  w = await portalWorld();
  ann = customer(w.store, "Ann");
});
afterAll(() => w.app.close());

const cancel = (order: Node, at: Date) => {
  w.store.setClock(at);
  return w.services.cancelOrder(w.store.domain, ann.id, order.id, at, w.deps);
};
const refunds = (order: Node) => (order.transactions as Node[]).filter((t) => t.kind === "REFUND");

describe("cancelling an order from the portal (CAN-1…3)", () => {
  it("CAN-1: at 1 h 59 min it is cancelled in Shopify (customer, restock, refund to the original payments, notice) once", async () => {
    const order = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Watch", priceCents: 60_000 }],
      payments: [{ kind: "card", amountCents: 40_000 }, { kind: "gift_card" }],
      placedAt,
    });
    await w.sync();
    const variant = order.lineItems[0].variant;
    const at = T("2026-11-02T16:59:00Z");
    const done = await cancel(order, at);
    expect(done).toMatchObject({ orderId: order.id, rule: "CAN-1", repeated: false });
    expect(done.message).toContain("cancelled");
    expect(order.cancelledAt).toBe(at.toISOString());
    expect(order.cancelReason).toBe("CUSTOMER");
    expect(order._cancellation.notifyCustomer).toBe(true);
    expect(variant.inventoryItem.inventoryLevels[0]._quantities.available).toBe(1);
    expect(refunds(order).map((t) => [t._paymentKind, t.amountSet.shopMoney.amount])).toEqual([
      ["card", "400.00"],
      ["gift_card", "225.00"],
    ]);
    const events = await w.app.prisma.orderEvent.findMany({ where: { orderId: order.id, kind: "cancelled" } });
    expect(events.map((e) => e.occurredAt)).toEqual([at]);

    const again = await cancel(order, T("2026-11-02T16:59:30Z"));
    expect(again.repeated).toBe(true);
    expect(refunds(order)).toHaveLength(2);
  });

  it("CAN-1: at 2 h 01 min it is refused with why and how to reach the store; Shopify is not asked", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Bag", priceCents: 60_000 }], placedAt });
    await w.sync();
    w.calls.length = 0;
    const error = await cancel(order, T("2026-11-02T17:01:00Z")).catch((e) => e);
    expect(error).toMatchObject({ code: "WINDOW_CLOSED", rule: "CAN-1" });
    expect(error.message).toBe(
      "Orders can be cancelled only within 2 hours of the order confirmation (CAN-1). To ask about this order, reply to your order confirmation email and the store will help.",
    );
    expect(w.calls).not.toContain("PortalOrderCancel");
    expect(order.cancelledAt).toBeNull();
  });

  it("CAN-2: never once anything shipped, whether the app knew of the fulfillment or only Shopify did", async () => {
    const known = storyOrder(w.store, { customer: ann, items: [{ title: "Ring", priceCents: 60_000 }], placedAt });
    fulfill(w.store, known, { at: T("2026-11-02T15:30:00Z") });
    await w.sync();
    const error = await cancel(known, T("2026-11-02T16:00:00Z")).catch((e) => e);
    expect(error).toMatchObject({ code: "NOT_CANCELLABLE", rule: "CAN-2" });
    expect(error.message).toContain("already shipped");

    const unknown = storyOrder(w.store, { customer: ann, items: [{ title: "Brooch", priceCents: 60_000 }], placedAt });
    await w.sync();
    fulfill(w.store, unknown, { at: T("2026-11-02T15:45:00Z") }); // the webhook has not been processed yet
    const refused = await cancel(unknown, T("2026-11-02T16:00:00Z")).catch((e) => e);
    expect(refused).toMatchObject({ code: "NOT_CANCELLABLE" });
    expect(refused.message).toContain("Cannot cancel an order that has fulfillments");
    expect(unknown.cancelledAt).toBeNull();
    expect(await w.app.prisma.orderEvent.count({ where: { orderId: unknown.id, kind: "cancelled" } })).toBe(0);
  });

  it("CAN-3: a request inside the window on a weekend is honoured and processed the next business day", async () => {
    const saturday = T("2026-11-07T15:00:00Z");
    const order = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Scarf", priceCents: 30_000 }],
      placedAt: saturday,
    });
    await w.sync();
    const done = await cancel(order, T("2026-11-07T16:00:00Z"));
    expect(done).toMatchObject({ rule: "CAN-3", processOn: "2026-11-09" });
    expect(done.message).toContain("2026-11-09, the next business day (CAN-3)");
    expect(order.cancelledAt).not.toBeNull();
  });
});
