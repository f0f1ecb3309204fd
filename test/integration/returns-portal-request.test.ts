import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelOrder as cancelInShopify } from "../emulator/actions/orders";
import type { Node } from "../emulator/store";
import { customer, JPEG, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

let w: PortalWorld;
let ann: Node;
const placedAt = T("2026-11-02T15:00:00Z");
const delivered = { placedAt, shippedAt: T("2026-11-03T15:00:00Z"), deliveredAt: T("2026-11-06T19:00:00Z") };
const now = T("2026-11-10T15:00:00Z");
let keys = 0;

beforeAll(async () => {
  w = await portalWorld();
  ann = customer(w.store, "Ann");
});
afterAll(() => w.app.close());

type Input = Parameters<PortalWorld["services"]["requestReturn"]>[2];
const request = (input: Partial<Input> & Pick<Input, "orderId" | "lines">, at = now, deps = w.deps) => {
  w.store.setClock(at);
  return w.services.requestReturn(
    w.store.domain,
    ann.id,
    { requestKey: `key-${++keys}`, reason: "change_of_mind", photos: [], ...input },
    at,
    deps,
  );
};
const line = (order: Node, i = 0, quantity = 1) => ({ lineId: order.lineItems[i].id as string, quantity });
const shopifyReturns = (order: Node) => (order.returns as Node[]).filter((r) => r.status !== "CANCELED");

async function refused(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e) => e,
  );
  expect(error).toBeInstanceOf(w.PortalError);
  return error as InstanceType<PortalWorld["PortalError"]>;
}

describe("requesting a return or claim", () => {
  it("RET-7: the Shopify return is created with exactly the fee: $20 under $500 with paid shipping, none on a free-shipping order", async () => {
    const paid = storyOrder(w.store, { customer: ann, items: [{ title: "Scarf", priceCents: 30_000 }], ...delivered });
    const free = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Watch", priceCents: 60_000 }],
      shippingDiscountCents: 2_500,
      ...delivered,
    });
    await w.sync();
    const feeOrder = await request({ orderId: paid.id, lines: [line(paid)], note: "Does not suit me" });
    expect(feeOrder).toMatchObject({ status: "requested", fee: { amount: 2_000, currency: "USD" }, repeated: false });
    const [ret] = shopifyReturns(paid);
    expect(ret!.returnShippingFees.map((f: Node) => f.amountSet.shopMoney)).toEqual([
      { amount: "20.00", currencyCode: "USD" },
    ]);
    expect(ret!.returnLineItems[0].returnReason).toBe("UNWANTED");
    expect(ret!.returnLineItems[0].customerNote).toBe("Does not suit me");
    expect(ret!.createdAt).toBe(now.toISOString());

    const stored = await w.app.prisma.return.findUniqueOrThrow({ where: { id: ret!.id }, include: { lines: true } });
    expect(stored).toMatchObject({ source: "portal", status: "requested", feeCents: 2_000, reason: "change_of_mind" });
    expect(stored.lines).toEqual([
      expect.objectContaining({ orderLineId: paid.lineItems[0].id, quantity: 1, unitPriceCents: 30_000 }),
    ]);
    const events = await w.app.prisma.orderEvent.findMany({ where: { orderId: paid.id, ref: ret!.id } });
    expect(events.map((e) => [e.kind, e.occurredAt])).toEqual([["return_requested", now]]);
    const arrival = await w.app.prisma.orderDeadline.findFirst({ where: { key: `return_arrival:${ret!.id}` } });
    expect(arrival?.dueAt).toEqual(T("2026-11-21T04:59:59.999Z"));

    const noFee = await request({ orderId: free.id, lines: [line(free)] });
    expect(noFee.fee).toEqual({ amount: 0, currency: "USD" });
    expect(noFee.refundPreview.noFeeReason?.code).toBe("NO_FEE_FREE_SHIPPING");
    expect(shopifyReturns(free)[0]!.returnShippingFees).toEqual([]);

    // Shopify's returns/request for the portal's own return changes nothing and declines nothing.
    await w.sync(now);
    expect(await w.app.prisma.return.count({ where: { orderId: paid.id } })).toBe(1);
    expect(shopifyReturns(paid)[0]!.status).toBe("REQUESTED");
  });

  it("RET-9: a wrong item on business day 7 with a photo: a Shopify file, no fee, and the 24-hour answer clock stored", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 30_000 }], ...delivered });
    await w.sync();
    const day7 = T("2026-11-18T17:00:00Z");
    const files = w.store.files.length;
    const claim = await request(
      {
        orderId: order.id,
        reason: "wrong_item",
        lines: [line(order)],
        photos: [{ filename: "what-came.jpg", contentType: "image/jpeg", data: JPEG }],
      },
      day7,
    );
    expect(claim).toMatchObject({ reason: "wrong_item", fee: { amount: 0 }, answerBy: T("2026-11-19T17:00:00Z") });
    expect(claim.photos).toHaveLength(1);
    expect(w.store.files.slice(files)).toEqual([
      expect.objectContaining({ __typename: "MediaImage", fileStatus: "READY" }),
    ]);
    expect(claim.photos[0]!.fileId).toBe(w.store.files[files]!.id);
    expect(shopifyReturns(order)[0]!.returnLineItems[0].returnReason).toBe("WRONG_ITEM");
    const answer = await w.app.prisma.orderDeadline.findFirstOrThrow({
      where: { key: `return_answer:${claim.returnId}` },
    });
    expect(answer).toMatchObject({ rule: "RET-9", dueAt: T("2026-11-19T17:00:00Z"), settled: false });
    expect(await w.app.prisma.returnPhoto.count({ where: { returnId: claim.returnId, kind: "claim" } })).toBe(1);

    const late = storyOrder(w.store, { customer: ann, items: [{ title: "Bag", priceCents: 30_000 }], ...delivered });
    await w.sync();
    const error = await refused(
      request(
        {
          orderId: late.id,
          reason: "wrong_item",
          lines: [line(late)],
          photos: [{ filename: "a.jpg", contentType: "image/jpeg", data: JPEG }],
        },
        T("2026-11-19T17:00:00Z"),
      ),
    );
    expect(error).toMatchObject({ code: "WINDOW_CLOSED", rule: "RET-9" });
    expect(shopifyReturns(late)).toEqual([]);
  });

  it("submitting twice with the same requestKey creates one return in Shopify, also when both arrive at once", async () => {
    const order = storyOrder(w.store, {
      customer: ann,
      items: [
        { title: "Watch", priceCents: 60_000 },
        { title: "Ring", priceCents: 60_000 },
      ],
      ...delivered,
    });
    await w.sync();
    const first = await request({ orderId: order.id, requestKey: "double-click", lines: [line(order, 0)] });
    const second = await request({ orderId: order.id, requestKey: "double-click", lines: [line(order, 0)] });
    expect(second).toMatchObject({ returnId: first.returnId, repeated: true });
    expect(shopifyReturns(order)).toHaveLength(1);

    const both = await Promise.allSettled([
      request({ orderId: order.id, requestKey: "same-time", lines: [line(order, 1)] }),
      request({ orderId: order.id, requestKey: "same-time", lines: [line(order, 1)] }),
    ]);
    expect(shopifyReturns(order)).toHaveLength(2);
    const answered = both.flatMap((b) => (b.status === "fulfilled" ? [b.value.returnId] : []));
    expect(answered.length).toBeGreaterThan(0);
    for (const b of both) if (b.status === "rejected") expect((b.reason as { code: string }).code).toBe("IN_PROGRESS");
    expect(await w.app.prisma.return.count({ where: { orderId: order.id } })).toBe(2);
  });

  it("bad input is refused with a sentence, and nothing is created in Shopify or in the app", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 30_000 }], ...delivered });
    const paypal = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Bag", priceCents: 30_000 }],
      payments: [{ kind: "paypal" }],
      ...delivered,
    });
    const undelivered = storyOrder(w.store, {
      customer: ann,
      items: [{ title: "Ring", priceCents: 30_000 }],
      placedAt,
      shippedAt: T("2026-11-03T15:00:00Z"),
    });
    await w.sync();
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(JPEG);
    const cases: Array<[Partial<Input> & Pick<Input, "orderId" | "lines">, string, string | undefined]> = [
      [
        { orderId: order.id, lines: [{ lineId: "gid://shopify/LineItem/1", quantity: 1 }] },
        "BAD_REQUEST",
        "lines[0].lineId",
      ],
      [{ orderId: order.id, lines: [line(order, 0, 2)] }, "BAD_REQUEST", "lines[0].quantity"],
      [{ orderId: order.id, lines: [line(order, 0, 0)] }, "BAD_REQUEST", "lines[0].quantity"],
      [{ orderId: order.id, lines: [] }, "BAD_REQUEST", "lines"],
      [{ orderId: order.id, lines: [line(order)], reason: "exchange" as never }, "BAD_REQUEST", "reason"],
      [{ orderId: paypal.id, lines: [line(paypal)] }, "NOT_RETURNABLE", "lines[0]"],
      [{ orderId: order.id, lines: [line(order)], reason: "damaged" }, "PHOTO_REQUIRED", "photos"],
      [{ orderId: order.id, lines: [line(order)], reason: "wrong_item" }, "PHOTO_REQUIRED", "photos"],
      [
        {
          orderId: order.id,
          lines: [line(order)],
          reason: "damaged",
          photos: [
            { filename: "notes.pdf", contentType: "application/pdf", data: new TextEncoder().encode("%PDF-1.4") },
          ],
        },
        "BAD_PHOTO",
        "photos[0]",
      ],
      [
        {
          orderId: order.id,
          lines: [line(order)],
          reason: "damaged",
          photos: [{ filename: "fake.jpg", contentType: "image/jpeg", data: new TextEncoder().encode("not a photo") }],
        },
        "BAD_PHOTO",
        "photos[0]",
      ],
      [
        {
          orderId: order.id,
          lines: [line(order)],
          reason: "damaged",
          photos: [{ filename: "huge.jpg", contentType: "image/jpeg", data: big }],
        },
        "BAD_PHOTO",
        "photos[0]",
      ],
      [{ orderId: undelivered.id, lines: [line(undelivered)] }, "NOT_RETURNABLE", "lines[0]"],
    ];
    const files = w.store.files.length;
    for (const [input, code, field] of cases) {
      const error = await refused(request(input));
      expect({ code: error.code, field: error.field }).toEqual({ code, field });
      expect(error.message).toMatch(/^.{12,}\.$/);
    }
    expect((await refused(request({ orderId: paypal.id, lines: [line(paypal)] }))).message).toContain("(RET-3).");
    expect((await refused(request({ orderId: undelivered.id, lines: [line(undelivered)] }))).message).toContain(
      "once tracking shows the order delivered (RET-1)",
    );
    for (const o of [order, paypal, undelivered]) expect(shopifyReturns(o)).toEqual([]);
    expect(w.store.files.length).toBe(files);
    expect(await w.app.prisma.return.count({ where: { orderId: { in: [order.id, paypal.id, undelivered.id] } } })).toBe(
      0,
    );

    // A line already returned cannot be returned again.
    await request({ orderId: order.id, lines: [line(order)] });
    const again = await refused(request({ orderId: order.id, lines: [line(order)] }));
    expect(again).toMatchObject({ code: "NOT_RETURNABLE" });
    expect(again.message).toContain("already been returned");
    expect(shopifyReturns(order)).toHaveLength(1);
  });

  it("Shopify's userErrors reach the shopper as a sentence, and the app records nothing", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 30_000 }], ...delivered });
    await w.sync();
    // Cancelled in Shopify a moment ago; the app has not heard yet.
    cancelInShopify(w.store, order, now);
    const error = await refused(request({ orderId: order.id, requestKey: "refused", lines: [line(order)] }));
    expect(error.code).toBe("SHOPIFY_USER_ERROR");
    expect(error.message).toBe("The store could not create the return: Order is canceled.");
    expect(shopifyReturns(order)).toEqual([]);
    expect(await w.app.prisma.return.count({ where: { orderId: order.id } })).toBe(0);
    const action = await w.app.prisma.shopifyAction.findFirstOrThrow({ where: { key: { endsWith: ":refused" } } });
    expect(action.status).toBe("failed");
  });

  it("a failure mid-request: a lost answer is matched to Shopify's return; a request Shopify never got is retried once", async () => {
    const { AdminGateway } = await import("../../app/services/shopify/admin-gateway.server");
    const token = w.app.emulator.installToken();
    const gatewayWith = (fetchImpl: typeof fetch, maxAttempts: number) => async (shop: string) =>
      new AdminGateway(shop, token, { origin: w.app.emulator.origin, fetchImpl, maxAttempts, cooldownMs: 1 });
    const isReturnRequest = (init?: RequestInit) => String(init?.body ?? "").includes("PortalReturnRequest");

    const lost = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 30_000 }], ...delivered });
    const never = storyOrder(w.store, { customer: ann, items: [{ title: "Bag", priceCents: 30_000 }], ...delivered });
    await w.sync();

    // Shopify creates the return, then the answer is lost on the way back.
    let dropped = 0;
    const dropAnswer: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      if (isReturnRequest(init) && dropped++ === 0) throw new TypeError("fetch failed: socket hang up");
      return response;
    };
    const healed = await request({ orderId: lost.id, lines: [line(lost)] }, now, {
      db: w.app.prisma,
      gateway: gatewayWith(dropAnswer, 2),
    });
    expect(shopifyReturns(lost)).toHaveLength(1);
    expect(healed.returnId).toBe(shopifyReturns(lost)[0]!.id);
    expect(await w.app.prisma.return.count({ where: { orderId: lost.id } })).toBe(1);

    // Shopify is never reached: nothing anywhere, and the retry with the same key creates one return.
    const down: typeof fetch = async (url, init) => {
      if (isReturnRequest(init)) throw new TypeError("fetch failed: connect ECONNREFUSED");
      return fetch(url, init);
    };
    const input = { orderId: never.id, requestKey: "retry-after-outage", lines: [line(never)] };
    const error = await refused(request(input, now, { db: w.app.prisma, gateway: gatewayWith(down, 1) }));
    expect(error.code).toBe("SHOPIFY_UNAVAILABLE");
    expect(error.message).toContain("nothing was changed");
    expect(shopifyReturns(never)).toEqual([]);
    expect(await w.app.prisma.return.count({ where: { orderId: never.id } })).toBe(0);
    // The gateway leaves a failing shop alone until one probe finds it answering again (a minute in the shopper's words).
    let retried: Awaited<ReturnType<typeof request>> | null = null;
    for (let attempt = 0; !retried && attempt < 50; attempt++) {
      retried = await request(input).catch((e) => {
        if (e.code !== "SHOPIFY_UNAVAILABLE") throw e;
        return new Promise<null>((resolve) => setTimeout(() => resolve(null), 100));
      });
    }
    expect(retried?.repeated).toBe(false);
    expect(shopifyReturns(never)).toHaveLength(1);
    expect(await w.app.prisma.return.count({ where: { orderId: never.id } })).toBe(1);
  });

  it("status: requested, then declined with the merchant's note, each step on the timeline", async () => {
    const order = storyOrder(w.store, { customer: ann, items: [{ title: "Watch", priceCents: 30_000 }], ...delivered });
    await w.sync();
    const created = await request({ orderId: order.id, lines: [line(order)] });
    const [view] = await w.services.returnStatus(w.store.domain, ann.id, order.id, now, w.deps);
    expect(view).toMatchObject({ returnId: created.returnId, status: "requested", label: null, decline: null });
    const { declineReturn } = await import("../emulator/actions/returns");
    declineReturn(
      w.store,
      shopifyReturns(order)[0]!,
      "OTHER",
      "Worn; see our condition policy.",
      T("2026-11-11T15:00:00Z"),
    );
    await w.sync(T("2026-11-11T15:00:00Z"));
    const [after] = await w.services.returnStatus(w.store.domain, ann.id, order.id, now, w.deps);
    expect(after).toMatchObject({
      status: "declined",
      decline: { reason: "other", note: "Worn; see our condition policy." },
      message: "The store declined this return: Worn; see our condition policy.",
    });
    const events = await w.app.prisma.orderEvent.findMany({
      where: { ref: created.returnId },
      orderBy: { occurredAt: "asc" },
    });
    expect(events.map((e) => e.kind)).toEqual(["return_requested", "return_declined"]);
  });
});
