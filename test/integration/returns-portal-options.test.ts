import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { businessDaysWindowEnd, presetSettings } from "../../app/policy";
import { fulfill } from "../emulator/actions/orders";
import type { Node } from "../emulator/store";
import { customer, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

let w: PortalWorld;
let ann: Node;
let bob: Node;
const placedAt = T("2026-11-02T15:00:00Z"); // Monday 10:00 Eastern
const shippedAt = T("2026-11-03T15:00:00Z");
const deliveredAt = T("2026-11-06T19:00:00Z"); // Friday 14:00 Eastern
const delivered = { placedAt, shippedAt, deliveredAt };

beforeAll(async () => {
  w = await portalWorld();
  ann = customer(w.store, "Ann");
  bob = customer(w.store, "Bob");
});
afterAll(() => w.app.close());

const options = (orderId: string, now: Date, who: Node = ann) =>
  w.services.returnOptions(w.store.domain, who.id, orderId, now, w.deps);
const verdict = (o: Awaited<ReturnType<typeof options>>, line: number, reason: string) =>
  o.lines[line]!.reasons.find((r) => r.reason === reason)!;

describe("return options from the facts the app keeps", () => {
  it("RET-3 card only: a card is offered a return; PayPal, Shop Pay Installments and card + gift card are not (claims still are)", async () => {
    const orders = {
      card: storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered }),
      paypal: storyOrder(w.store, {
        customer: ann,
        items: [{ title: "Bag", priceCents: 60_000 }],
        payments: [{ kind: "paypal" }],
        ...delivered,
      }),
      installments: storyOrder(w.store, {
        customer: ann,
        items: [{ title: "Ring", priceCents: 60_000 }],
        payments: [{ kind: "installments" }],
        ...delivered,
      }),
      split: storyOrder(w.store, {
        customer: ann,
        items: [{ title: "Brooch", priceCents: 60_000 }],
        payments: [{ kind: "card", amountCents: 40_000 }, { kind: "gift_card" }],
        ...delivered,
      }),
    };
    await w.sync();
    const now = T("2026-11-10T15:00:00Z");
    const card = await options(orders.card.id, now);
    expect(verdict(card, 0, "change_of_mind")).toMatchObject({ allowed: true, rule: "RET-1", code: "RETURNABLE" });
    expect(card.actions).toEqual({ requestReturn: true, reportProblem: true, cancel: false });

    const paypal = await options(orders.paypal.id, now);
    expect(verdict(paypal, 0, "change_of_mind")).toMatchObject({
      allowed: false,
      rule: "RET-3",
      code: "NOT_PAID_BY_CARD",
    });
    expect(verdict(paypal, 0, "change_of_mind").message).toMatch(/paid with PayPal \(RET-3\)\.$/);
    expect(verdict(paypal, 0, "wrong_item")).toMatchObject({ allowed: true, rule: "RET-9" });
    expect(paypal.actions).toMatchObject({ requestReturn: false, reportProblem: true });

    const installments = await options(orders.installments.id, now);
    expect(verdict(installments, 0, "change_of_mind")).toMatchObject({ allowed: false, rule: "RET-3" });
    expect(verdict(installments, 0, "change_of_mind").message).toContain("installments");

    const split = await options(orders.split.id, now);
    expect(verdict(split, 0, "change_of_mind")).toMatchObject({ allowed: false, rule: "RET-3" });
    expect(verdict(split, 0, "change_of_mind").message).toContain("partly with a gift card");
  });

  it("RET-1 window: day 14 at 23:59 is inside, day 15 is closed with the dates named", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    await w.sync();
    const lastMinute = await options(order.id, T("2026-11-21T04:59:00Z")); // Nov 20, 23:59 Eastern
    expect(verdict(lastMinute, 0, "change_of_mind").allowed).toBe(true);
    expect(lastMinute.windowEndsAt).toEqual(T("2026-11-21T04:59:59.999Z"));
    const dayFifteen = await options(order.id, T("2026-11-21T15:00:00Z"));
    expect(verdict(dayFifteen, 0, "change_of_mind")).toMatchObject({
      allowed: false,
      rule: "RET-1",
      code: "WINDOW_CLOSED",
      message: "Delivered 15 days ago: the 14-day window closed on Nov 20 (RET-1).",
    });
    expect(dayFifteen.refundPreviews.map((p) => p.reason)).not.toContain("change_of_mind");
  });

  it("RET-2 final sale beside a returnable line; the missing facts are fetched once, then no Admin API call", async () => {
    const order = storyOrder(w.store, {
      customer: ann,
      items: [
        { title: "Sale watch", priceCents: 60_000, compareAtPriceCents: 80_000 },
        { title: "Tagged bag", priceCents: 30_000, tags: ["final-sale"] },
        { title: "Plain ring", priceCents: 20_000 },
      ],
      ...delivered,
    });
    await w.sync();
    const before = await w.app.prisma.orderLine.findMany({ where: { orderId: order.id } });
    // A REST order webhook carries neither compare-at prices nor tags: not known yet.
    expect(before.every((l) => l.compareAtCents === null && l.productTags === null)).toBe(true);
    w.calls.length = 0;
    const first = await options(order.id, T("2026-11-10T15:00:00Z"));
    expect(w.calls).toEqual(["PortalOrderReturnFacts"]);
    expect(verdict(first, 0, "change_of_mind")).toMatchObject({
      allowed: false,
      rule: "RET-2",
      message: "Final sale: sale items cannot be returned (RET-2).",
    });
    expect(verdict(first, 1, "change_of_mind")).toMatchObject({ allowed: false, rule: "RET-2" });
    expect(verdict(first, 2, "change_of_mind")).toMatchObject({ allowed: true, rule: "RET-1" });
    // A final-sale item that arrived damaged is still a claim (RET-10).
    expect(verdict(first, 0, "damaged")).toMatchObject({ allowed: true, rule: "RET-10", photoRequired: true });
    w.calls.length = 0;
    const again = await options(order.id, T("2026-11-10T16:00:00Z"));
    expect(w.calls).toEqual([]);
    expect(again.lines.map((l) => l.returnable)).toEqual([true, true, true]);
  });

  it("RET-7 fee: a free-shipping order's return has no label fee (and says why); one under $500 pays $20", async () => {
    const free = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Watch", priceCents: 60_000 }],
      shippingCents: 2_500,
      shippingDiscountCents: 2_500,
      ...delivered,
    });
    const paid = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Scarf", priceCents: 30_000 }],
      shippingCents: 2_500,
      taxCents: 2_400,
      ...delivered,
    });
    await w.sync();
    const now = T("2026-11-10T15:00:00Z");
    const freePreview = (await options(free.id, now)).refundPreviews.find((p) => p.reason === "change_of_mind")!;
    expect(freePreview.fees).toEqual([]);
    expect(freePreview.noFeeReason).toMatchObject({ rule: "RET-7", code: "NO_FEE_FREE_SHIPPING" });
    expect(freePreview.total).toEqual({ amount: 60_000, currency: "USD" });

    const paidPreview = (await options(paid.id, now)).refundPreviews.find((p) => p.reason === "change_of_mind")!;
    expect(paidPreview).toMatchObject({
      merchandise: { amount: 30_000, currency: "USD" },
      tax: { amount: 2_400, currency: "USD" },
      fees: [{ rule: "RET-7", amount: { amount: 2_000, currency: "USD" } }],
      noFeeReason: null,
      shippingRefunded: { amount: 0, currency: "USD" },
      total: { amount: 30_400, currency: "USD" },
    });
    expect(paidPreview.shippingNote).toContain("RET-7");
    // A claim never carries the fee.
    const claim = (await options(paid.id, now)).refundPreviews.find((p) => p.reason === "wrong_item")!;
    expect(claim.fees).toEqual([]);
    expect(claim.noFeeReason?.code).toBe("NO_FEE_CLAIM");
  });

  it("RET-9 wrong item: business day 7 is in time (Veterans Day skipped), day 8 is not", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    await w.sync();
    const day7 = await options(order.id, T("2026-11-18T17:00:00Z"));
    expect(verdict(day7, 0, "wrong_item")).toMatchObject({ allowed: true, rule: "RET-9" });
    expect(day7.claimWindowEndsAt).toEqual(T("2026-11-19T04:59:59.999Z"));
    const day8 = await options(order.id, T("2026-11-19T17:00:00Z"));
    expect(verdict(day8, 0, "wrong_item")).toMatchObject({
      allowed: false,
      rule: "RET-9",
      code: "WRONG_ITEM_WINDOW_CLOSED",
    });
    expect(verdict(day8, 0, "wrong_item").message).toContain("7 business days");
  });

  it("RET-6 / RET-12: the dates that follow are named before the shopper confirms", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    await w.sync();
    const now = T("2026-11-10T15:00:00Z");
    const { dates } = await options(order.id, now);
    const settings = presetSettings();
    expect(dates.labelVoidsAtIfIssuedNow).toEqual(businessDaysWindowEnd(now, 2, settings.calendar));
    expect(dates.arrivalBy).toEqual(T("2026-11-21T04:59:59.999Z"));
    expect(dates.claimAnswerByIfReportedNow).toEqual(T("2026-11-11T15:00:00Z"));
  });

  it("CAN-1/2: cancellable at 1 h 59 min, not at 2 h 01 min, and never once anything shipped", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], placedAt });
    await w.sync();
    const inTime = await options(order.id, T("2026-11-02T16:59:00Z"));
    expect(inTime.cancellation).toMatchObject({ allowed: true, rule: "CAN-1", until: T("2026-11-02T17:00:00Z") });
    expect(inTime.actions.cancel).toBe(true);
    // Not delivered yet: nothing to return, and the shopper is told why.
    expect(verdict(inTime, 0, "change_of_mind")).toMatchObject({
      allowed: false,
      code: "NOT_DELIVERED",
      message: "A return can be requested once tracking shows the order delivered (RET-1).",
    });
    const late = await options(order.id, T("2026-11-02T17:01:00Z"));
    expect(late.cancellation).toMatchObject({ allowed: false, rule: "CAN-1", code: "WINDOW_CLOSED" });

    const shipped = storyOrder(w.store, { customer: ann, items: [{ title: "Bag", priceCents: 60_000 }], placedAt });
    fulfill(w.store, shipped, { at: T("2026-11-02T15:30:00Z") });
    await w.sync();
    const after = await options(shipped.id, T("2026-11-02T16:00:00Z"));
    expect(after.cancellation).toMatchObject({ allowed: false, rule: "CAN-2", code: "ALREADY_SHIPPED" });
  });

  it("another customer's order is NOT_FOUND on every use case, and nothing is created", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 60_000 }], ...delivered });
    await w.sync();
    const now = T("2026-11-10T15:00:00Z");
    const shop = w.store.domain;
    const attempts = [
      w.services.returnOptions(shop, bob.id, order.id, now, w.deps),
      w.services.returnStatus(shop, bob.id, order.id, now, w.deps),
      w.services.cancelOrder(shop, bob.id, order.id, now, w.deps),
      w.services.requestReturn(
        shop,
        bob.id,
        {
          orderId: order.id,
          requestKey: "bob-1",
          reason: "change_of_mind",
          lines: [{ lineId: order.lineItems[0].id, quantity: 1 }],
          photos: [],
        },
        now,
        w.deps,
      ),
      w.services.returnOptions(shop, ann.id, "gid://shopify/Order/1", now, w.deps),
      w.services.returnOptions("other.myshopify.com", ann.id, order.id, now, w.deps),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((e) => e);
      expect(error).toBeInstanceOf(w.PortalError);
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).not.toContain(order.name);
    }
    expect(await w.services.customerOrders(shop, bob.id, now, w.deps)).toEqual([]);
    expect(w.store.returns.filter((r) => r.order === order)).toEqual([]);
    expect(await w.app.prisma.return.count({ where: { orderId: order.id } })).toBe(0);
    expect(await w.app.prisma.shopifyAction.count()).toBe(0);
  });
});
