import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings, type PolicySettings } from "../../app/policy";
import type { ReturnReason } from "../../app/policy";
import { declineReturn as declineInEmulator, requestReturn } from "../emulator/actions/returns";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import { cents } from "../emulator/money";
import type { EmulatedStore, Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import type * as Approve from "../../app/services/returns/approve-return.server";
import type * as Decline from "../../app/services/returns/decline-return.server";
import type * as Answer from "../../app/services/returns/answer-claim.server";
import type * as Receive from "../../app/services/returns/receive-return.server";
import type * as Inspect from "../../app/services/returns/inspect-return.server";
import type * as Refund from "../../app/services/returns/refund-return.server";
import type * as Queue from "../../app/services/returns/returns-queue.server";
import type * as Detail from "../../app/services/returns/return-detail.server";
import type * as Steps from "../../app/services/returns/queue-steps.server";
import type * as ReturnRecord from "../../app/services/returns/return-record.server";
import type { QueueError } from "../../app/services/returns/queue-errors";

const storeA = createStore({ domain: "queue-a.myshopify.com", name: "Queue A" });
const storeB = createStore({ domain: "queue-b.myshopify.com", name: "Queue B" });
const T = (iso: string) => new Date(iso);
/** Orders are placed on 2 Nov, delivered by tracking on 8 Nov; returns are requested on 10 Nov. */
const PLACED = T("2026-11-02T15:00:00Z");
const REQUESTED = T("2026-11-10T15:00:00Z");
const TAX = 2_400;

let app: Awaited<ReturnType<typeof startAppHarness>>;
let svc: typeof Approve & typeof Decline & typeof Answer & typeof Receive & typeof Inspect & typeof Refund;
let queue: typeof Queue & typeof Detail;
let steps: typeof Steps;
let record: typeof ReturnRecord;
let RETURN_QUERY: string;
const settings: PolicySettings = presetSettings("allu");

beforeAll(async () => {
  app = await startAppHarness(storeA, { otherStores: [storeB] });
  svc = {
    ...(await import("../../app/services/returns/approve-return.server")),
    ...(await import("../../app/services/returns/decline-return.server")),
    ...(await import("../../app/services/returns/answer-claim.server")),
    ...(await import("../../app/services/returns/receive-return.server")),
    ...(await import("../../app/services/returns/inspect-return.server")),
    ...(await import("../../app/services/returns/refund-return.server")),
  };
  queue = {
    ...(await import("../../app/services/returns/returns-queue.server")),
    ...(await import("../../app/services/returns/return-detail.server")),
  };
  steps = await import("../../app/services/returns/queue-steps.server");
  record = await import("../../app/services/returns/return-record.server");
  RETURN_QUERY = (await import("../../app/services/returns/returns-documents")).RETURN_QUERY;
});
afterAll(() => app.close());

const MUTATIONS =
  /\b(returnApproveRequest|returnDeclineRequest|returnCancel|reverseFulfillmentOrderDispose|returnProcess|returnClose)\(/;

/** The shop's Admin gateway, recording each return mutation the app sends (what "Shopify changed once" counts). */
async function staffOf(store: EmulatedStore, now: Date, fault?: (field: string) => boolean) {
  const gateway = await app.gateway(store.domain);
  const sent: string[] = [];
  const caller = {
    shop: store.domain,
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      const field = MUTATIONS.exec(document)?.[1];
      if (field) sent.push(field);
      const answer = await gateway.request<T>(document, variables);
      // A timeout after Shopify acted: the answer is lost on the way back.
      if (field && fault?.(field)) {
        const { AdminGatewayError } = await import("../../app/services/shopify/admin-gateway.server");
        throw new AdminGatewayError(`Admin API request failed for ${store.domain}: did not answer within 15000 ms`);
      }
      return answer;
    },
  };
  store.setClock(now);
  return { ctx: { db: app.prisma, gateway: caller, settings, now }, sent };
}

const count = (sent: string[], field: string) => sent.filter((s) => s === field).length;

/** A delivered order of one item (tax on top, shipping charged unless free), with its timeline in the app. */
async function deliveredOrder(
  store: EmulatedStore,
  item: { title: string; priceCents: number; compareAtPriceCents?: number; tags?: string[] },
  options: { shippingCents?: number } = {},
) {
  const customer = shopper(store, {
    firstName: "Maya",
    lastName: "Chen",
    email: `maya+${store.orders.length}@example.com`,
  });
  const product = oneOfAKind(store, item);
  const order = orderAt(store, {
    customer,
    items: [product],
    stage: "delivered",
    placedAt: PLACED,
    deliveredAfterHours: 24 * 6,
    taxCents: TAX,
    shippingCents: options.shippingCents ?? 1_500,
  });
  store.setClock(null);
  await app.emulatorOf(store.domain).webhooks.idle();
  await app.drain(T("2026-11-09T12:00:00Z"));
  return { order, product };
}

/** The shopper's request as the portal makes it: Shopify's returnRequest, then the app's record with RET-7's fee. */
async function requested(store: EmulatedStore, order: Node, reason: ReturnReason, feeCents: number, at = REQUESTED) {
  const fulfillment = (order.fulfillments as Node[])[0]!;
  const ret = requestReturn(
    store,
    order,
    (fulfillment.fulfillmentLineItems as Node[]).map((fli) => ({
      fulfillmentLineItemId: fli.id,
      quantity: fli.quantity,
      returnReason: reason === "wrong_item" ? "WRONG_ITEM" : "UNWANTED",
    })),
    at,
  );
  const gateway = await app.gateway(store.domain);
  const shopifyReturn = (await gateway.request<{ return: ReturnRecord.ShopifyReturn }>(RETURN_QUERY, { id: ret.id }))
    .return;
  const lineFacts = new Map(
    (order.lineItems as Node[]).map((li) => [
      li.id,
      { unitPriceCents: cents(li.discountedUnitPriceSet.shopMoney.amount), unitTaxCents: TAX },
    ]),
  );
  await steps.withOrders(app.prisma, store.domain, at, (orders) =>
    record.recordRequestedReturn(orders, {
      shop: store.domain,
      ret: shopifyReturn,
      source: "portal",
      reason,
      feeCents,
      currency: "USD",
      lineFacts,
      settings,
      eventSource: "portal",
    }),
  );
  return ret;
}

const stored = (id: string) => app.prisma.return.findUniqueOrThrow({ where: { id } });
const available = (product: Node) => variantOf(product).inventoryItem.inventoryLevels[0]._quantities.available;

async function rejected(promise: Promise<unknown>): Promise<QueueError> {
  try {
    await promise;
  } catch (error) {
    return error as QueueError;
  }
  throw new Error("expected the action to be refused");
}

/** Approve → receive → inspect (pass) at the times of a real week. */
async function throughInspection(store: EmulatedStore, ret: Node, input: Partial<Inspect.InspectionInput> = {}) {
  const day = (d: number) => new Date(REQUESTED.getTime() + d * 86_400_000);
  const approve = await staffOf(store, day(0.1));
  await svc.approveReturn(approve.ctx, ret.id);
  await svc.receiveReturn((await staffOf(store, day(3))).ctx, ret.id);
  const inspector = await staffOf(store, day(3.1));
  await svc.inspectReturn(inspector.ctx, ret.id, {
    asDescribed: true,
    originalPackaging: true,
    allTags: true,
    authentic: true,
    provenInauthentic: false,
    ...input,
  });
  return { approve, inspector, refundAt: day(3.2) };
}

describe("returns queue: decide, receive, inspect, refund through Shopify's return objects", () => {
  it("refunds a change-of-mind return under $500 to the card less the $20 label fee, once, then closes it", async () => {
    const { order, product } = await deliveredOrder(storeA, { title: "Cartier Love ring", priceCents: 30_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const { approve, inspector, refundAt } = await throughInspection(storeA, ret);
    expect(count(approve.sent, "returnApproveRequest")).toBe(1);
    // INV-2: the one-of-a-kind item is on sale again with exactly one available.
    expect(count(inspector.sent, "reverseFulfillmentOrderDispose")).toBe(1);
    expect(available(product)).toBe(1);

    const staff = await staffOf(storeA, refundAt);
    const quote = await svc.refundQuote(staff.ctx, ret.id);
    // Merchandise + tax, shipping never refunded, the fee decided at request time taken off.
    expect([quote.merchandise.amount, quote.tax.amount, quote.shippingRefunded.amount]).toEqual([30_000, TAX, 0]);
    expect(quote.total.amount).toBe(30_000 + TAX - 2_000);
    const refund = await svc.refundReturn(staff.ctx, ret.id, quote.total.amount);
    expect(refund.amountCents).toBe(30_400);
    // A double click: Shopify is not asked again.
    expect((await svc.refundReturn(staff.ctx, ret.id, quote.total.amount)).repeated).toBe(true);
    expect(count(staff.sent, "returnProcess")).toBe(1);

    const sale = (order.transactions as Node[]).find((t) => t.kind === "SALE")!;
    const refundTx = (order.transactions as Node[]).filter((t) => t.kind === "REFUND");
    expect(refundTx.map((t) => [t.parentTransaction.id, cents(t.amountSet.shopMoney.amount)])).toEqual([
      [sale.id, 30_400],
    ]);
    expect(ret.status).toBe("CLOSED");
    const row = await stored(ret.id);
    expect([row.status, row.refundCents]).toEqual(["closed", 30_400]);
    // RET-8: the visible-by date is stored as the return's deadline.
    const visible = await app.prisma.orderDeadline.findFirstOrThrow({ where: { key: `refund_visible:${ret.id}` } });
    expect(visible.dueAt).toEqual(refund.visibleBy);
    expect(refund.visibleBy > refund.visibleFrom && refund.visibleFrom > refundAt).toBe(true);
  });

  it("refunds an item over $500 on a free-shipping order in full (no fee), shipping excluded", async () => {
    const { order } = await deliveredOrder(
      storeA,
      { title: "Rolex Datejust", priceCents: 80_000 },
      { shippingCents: 0 },
    );
    const ret = await requested(storeA, order, "change_of_mind", 0);
    const { refundAt } = await throughInspection(storeA, ret);
    const staff = await staffOf(storeA, refundAt);
    const refund = await svc.refundReturn(staff.ctx, ret.id, 80_000 + TAX);
    expect(refund.amountCents).toBe(82_400);
  });

  it("answers a wrong-item claim within its 24 hours, approves it as a return and refunds everything", async () => {
    const { order } = await deliveredOrder(storeA, { title: "Hermès scarf", priceCents: 45_000 });
    const ret = await requested(storeA, order, "wrong_item", 0);
    const listed = await queue.returnsQueue(
      app.prisma,
      storeA.domain,
      { tab: "requested" },
      settings,
      T("2026-11-10T18:00:00Z"),
    );
    const row = listed.rows.find((r) => r.id === ret.id)!;
    expect(row.clock).toMatchObject({
      kind: "answer_due",
      rule: "RET-9",
      at: T("2026-11-11T15:00:00Z"),
      overdue: false,
    });

    const staff = await staffOf(storeA, T("2026-11-11T09:00:00Z"));
    const answer = await svc.answerClaim(staff.ctx, ret.id, "We are sorry: send it back with the label, full refund.");
    expect(answer.withinClock).toBe(true);
    const deadline = await app.prisma.orderDeadline.findFirstOrThrow({ where: { key: `return_answer:${ret.id}` } });
    expect(deadline.settled).toBe(true);
    const { refundAt } = await throughInspection(storeA, ret);
    const refund = await svc.refundReturn((await staffOf(storeA, refundAt)).ctx, ret.id, 45_000 + TAX);
    expect(refund.amountCents).toBe(47_400);
  });

  it("gives everything back, the label fee too, for an item proven inauthentic, and does not restock it", async () => {
    const { order, product } = await deliveredOrder(storeA, { title: "Chanel flap bag", priceCents: 40_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const { inspector, refundAt } = await throughInspection(storeA, ret, { authentic: false, provenInauthentic: true });
    expect(count(inspector.sent, "reverseFulfillmentOrderDispose")).toBe(0);
    expect(available(product)).toBe(0);
    const staff = await staffOf(storeA, refundAt);
    const quote = await svc.refundQuote(staff.ctx, ret.id);
    expect([quote.decision.rule, quote.fees, quote.total.amount]).toEqual(["RET-11", [], 40_000 + TAX]);
    expect((await svc.refundReturn(staff.ctx, ret.id, 42_400)).amountCents).toBe(42_400);
  });

  it("refunds nothing after a failed inspection, nor before the package is received", async () => {
    const { order, product } = await deliveredOrder(storeA, { title: "Omega Speedmaster", priceCents: 35_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const early = await staffOf(storeA, T("2026-11-10T16:00:00Z"));
    await svc.approveReturn(early.ctx, ret.id);
    const before = await rejected(svc.refundReturn(early.ctx, ret.id, 35_400));
    expect([before.code, before.rule]).toEqual(["NOT_ALLOWED", "RET-8"]);

    await svc.receiveReturn(early.ctx, ret.id);
    const inspected = await svc.inspectReturn(early.ctx, ret.id, {
      asDescribed: true,
      originalPackaging: false,
      allTags: true,
      authentic: true,
      provenInauthentic: false,
      note: "Box missing",
    });
    expect(inspected.inspection.outcome).toBe("failed");
    expect(available(product)).toBe(0);
    const failed = await rejected(svc.refundReturn(early.ctx, ret.id, 35_400));
    expect([failed.code, failed.rule]).toEqual(["NOT_ALLOWED", "RET-5"]);
    expect(count(early.sent, "returnProcess")).toBe(0);
    expect(ret.refunds).toEqual([]);
    expect((await stored(ret.id)).status).toBe("inspected");
  });

  it("approves once for a double click, a retried request, and the returns/approve webhook after it", async () => {
    const { order } = await deliveredOrder(storeA, { title: "Tiffany bracelet", priceCents: 20_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const staff = await staffOf(storeA, T("2026-11-10T16:00:00Z"));
    const both = await Promise.allSettled([svc.approveReturn(staff.ctx, ret.id), svc.approveReturn(staff.ctx, ret.id)]);
    // One click approved; the other was told it is under way or found it done.
    expect(both.some((r) => r.status === "fulfilled" && !r.value.repeated)).toBe(true);
    for (const r of both) if (r.status === "rejected") expect((r.reason as QueueError).code).toBe("IN_PROGRESS");
    expect((await svc.approveReturn(staff.ctx, ret.id)).repeated).toBe(true);
    expect(count(staff.sent, "returnApproveRequest")).toBe(1);

    await app.emulatorOf(storeA.domain).webhooks.idle();
    await app.drain(T("2026-11-10T16:01:00Z"));
    const events = await app.prisma.orderEvent.findMany({ where: { ref: ret.id, kind: "return_approved" } });
    expect(events).toHaveLength(1);
    expect((await stored(ret.id)).status).toBe("approved");
  });

  it("shows Shopify's userError, changes nothing, and lets staff retry; a lost answer is not sent twice", async () => {
    const { order } = await deliveredOrder(storeA, { title: "Dior saddle bag", priceCents: 25_000 });
    const declined = await requested(storeA, order, "change_of_mind", 2_000);
    // Declined in Shopify's admin meanwhile: Shopify refuses the approval.
    declineInEmulator(storeA, declined, "OTHER", null);
    const staff = await staffOf(storeA, T("2026-11-10T16:00:00Z"));
    const error = await rejected(svc.approveReturn(staff.ctx, declined.id));
    expect(error.code).toBe("SHOPIFY_USER_ERROR");
    expect(error.message).toMatch(/^Shopify refused to approve the return: Return is not approvable/);
    expect((await stored(declined.id)).status).toBe("requested");
    expect(await app.prisma.shopifyAction.findFirst({ where: { key: `approve:${declined.id}` } })).toMatchObject({
      status: "failed",
    });

    const { order: second } = await deliveredOrder(storeA, { title: "Prada tote", priceCents: 22_000 });
    const ret = await requested(storeA, second, "change_of_mind", 2_000);
    const flaky = await staffOf(storeA, T("2026-11-10T16:00:00Z"), (field) => field === "returnApproveRequest");
    const timeout = await rejected(svc.approveReturn(flaky.ctx, ret.id));
    expect(timeout.code).toBe("SHOPIFY_UNAVAILABLE");
    expect(timeout.message).toMatch(/Try again/);
    expect((await stored(ret.id)).status).toBe("requested");
    const retry = await staffOf(storeA, T("2026-11-10T16:05:00Z"));
    await svc.approveReturn(retry.ctx, ret.id);
    // Shopify had approved: the retry found it so and sent nothing.
    expect(count(retry.sent, "returnApproveRequest")).toBe(0);
    expect((await stored(ret.id)).status).toBe("approved");
  });

  it("declines a final-sale return with Shopify's FINAL_SALE reason and the policy's sentence as the note", async () => {
    const { order } = await deliveredOrder(storeA, {
      title: "YSL clutch",
      priceCents: 18_000,
      compareAtPriceCents: 30_000,
    });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const staff = await staffOf(storeA, T("2026-11-10T16:00:00Z"));
    const detail = await queue.returnDetail(staff.ctx, ret.id);
    expect(detail.verdict.eligible).toBe(false);
    expect(detail.verdict.blockedBy?.rule).toBe("RET-2");
    const declined = await svc.declineReturn(staff.ctx, ret.id);
    expect(ret.status).toBe("DECLINED");
    expect(ret.decline).toEqual({
      reason: "FINAL_SALE",
      note: "Sale items are final sale and cannot be returned (RET-2).",
    });
    expect(declined.reason).toBe("FINAL_SALE");
    expect((await svc.declineReturn(staff.ctx, ret.id)).repeated).toBe(true);
    expect(count(staff.sent, "returnDeclineRequest")).toBe(1);
    // An eligible return is declined only with staff's own note.
    const { order: fine } = await deliveredOrder(storeA, { title: "Gucci belt", priceCents: 15_000 });
    const eligible = await requested(storeA, fine, "change_of_mind", 2_000);
    expect((await rejected(svc.declineReturn(staff.ctx, eligible.id))).code).toBe("BAD_REQUEST");
  });

  it("bulk-approves eligible change-of-mind returns only, and auto-approves when the setting is on", async () => {
    const { order: a } = await deliveredOrder(storeA, { title: "Bulk watch", priceCents: 21_000 });
    const { order: b } = await deliveredOrder(storeA, {
      title: "Bulk sale bag",
      priceCents: 10_000,
      compareAtPriceCents: 20_000,
    });
    const { order: c } = await deliveredOrder(storeA, { title: "Bulk wrong ring", priceCents: 12_000 });
    const [ra, rb, rc] = [
      await requested(storeA, a, "change_of_mind", 2_000),
      await requested(storeA, b, "change_of_mind", 2_000),
      await requested(storeA, c, "wrong_item", 0),
    ];
    const staff = await staffOf(storeA, T("2026-11-10T16:00:00Z"));
    const bulk = await svc.approveReturns(staff.ctx, [ra.id, rb.id, rc.id]);
    expect(bulk.approved).toEqual([ra.id]);
    expect(bulk.skipped.map((s) => [s.returnId, s.why])).toEqual([
      [rb.id, "Sale items are final sale and cannot be returned (RET-2)"],
      [rc.id, "claims are decided one by one"],
    ]);
    const { order: d } = await deliveredOrder(storeA, { title: "Auto bag", priceCents: 16_000 });
    const rd = await requested(storeA, d, "change_of_mind", 2_000);
    expect(await svc.autoApproveReturn(staff.ctx, rd.id)).toBe(false);
    const on = { ...staff.ctx, settings: { ...settings, returns: { ...settings.returns, autoApprove: true } } };
    expect(await svc.autoApproveReturn(on, rd.id)).toBe(true);
    expect(rd.status).toBe("OPEN");
  });

  it("never shows or acts on another shop's returns", async () => {
    const { order } = await deliveredOrder(storeA, { title: "A's necklace", priceCents: 26_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    const shopB = await staffOf(storeB, T("2026-11-10T16:00:00Z"));
    for (const action of [
      svc.approveReturn(shopB.ctx, ret.id),
      svc.declineReturn(shopB.ctx, ret.id, { note: "no" }),
      svc.receiveReturn(shopB.ctx, ret.id),
      svc.refundReturn(shopB.ctx, ret.id, 1),
      queue.returnDetail(shopB.ctx, ret.id),
    ])
      expect((await rejected(action)).code).toBe("NOT_FOUND");
    expect(shopB.sent).toEqual([]);
    const listed = await queue.returnsQueue(
      app.prisma,
      storeB.domain,
      { tab: "all", search: order.name },
      settings,
      shopB.ctx.now,
    );
    expect([listed.rows, listed.counts.all]).toEqual([[], 0]);
    expect(ret.status).toBe("REQUESTED");
  });

  it("lists returns by state with counts, finds them by order number, email and tracking number", async () => {
    const { order } = await deliveredOrder(storeA, { title: "Search ring", priceCents: 19_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    await svc.approveReturn((await staffOf(storeA, T("2026-11-10T16:00:00Z"))).ctx, ret.id);
    const voidsAt = T("2026-11-12T04:59:59Z");
    await app.prisma.returnLabel.create({
      data: {
        returnId: ret.id,
        shop: storeA.domain,
        source: "carrier",
        carrier: "USPS",
        trackingNumber: "9400111899223344556677",
        status: "issued",
        issuedAt: T("2026-11-10T16:00:00Z"),
        voidsAt,
      },
    });
    const now = T("2026-11-11T12:00:00Z");
    const list = (input: Parameters<typeof queue.returnsQueue>[2]) =>
      queue.returnsQueue(app.prisma, storeA.domain, input, settings, now);
    const approved = await list({ tab: "approved" });
    expect(approved.counts.approved).toBe(approved.rows.length);
    expect(approved.counts.all).toBe(await app.prisma.return.count({ where: { shop: storeA.domain } }));
    expect(approved.rows.find((r) => r.id === ret.id)?.clock).toMatchObject({ kind: "label_voids", at: voidsAt });
    // Overdue first: approved returns without a label ask for one and come after the timed ones.
    for (const search of [order.name, order.name.slice(1), "9400111899223344556677", order.email])
      expect((await list({ tab: "all", search })).rows.map((r) => r.id)).toEqual([ret.id]);
    const late = await list({ tab: "requested" });
    expect(late.rows.every((r, i, rows) => i === 0 || !r.clock?.overdue || rows[i - 1]!.clock?.overdue)).toBe(true);
  });

  it("cancels in Shopify only before any work was done on the return (the emulator's returnCancel)", async () => {
    const { RETURN_CANCEL } = await import("../../app/services/returns/queue-documents");
    const gateway = await app.gateway(storeA.domain);
    const { order } = await deliveredOrder(storeA, { title: "Cancel watch", priceCents: 11_000 });
    const ret = await requested(storeA, order, "change_of_mind", 2_000);
    type Answer = { returnCancel: { return: { status: string } | null; userErrors: Array<{ message: string }> } };
    const first = await gateway.request<Answer>(RETURN_CANCEL, { id: ret.id, notifyCustomer: false });
    expect(first.returnCancel.return?.status).toBe("CANCELED");
    const again = await gateway.request<Answer>(RETURN_CANCEL, { id: ret.id, notifyCustomer: false });
    expect(again.returnCancel.userErrors.map((e) => e.message)).toEqual([
      "Return can't be canceled because it has already been processed.",
    ]);
  });

  it("sums up the period: rates, reasons, refusals by rule, fees kept, RET-9 answers, days to refund", async () => {
    const { returnsAnalytics } = await import("../../app/services/returns/returns-analytics.server");
    const period = { from: T("2026-11-01T00:00:00Z"), to: T("2026-12-01T00:00:00Z") };
    const a = await returnsAnalytics(app.prisma, storeA.domain, period, settings);
    const returns = await app.prisma.return.findMany({ where: { shop: storeA.domain } });
    expect(a.rate.orders).toMatchObject({ returned: returns.length, total: storeA.orders.length });
    expect(a.reasons.find((r) => r.reason === "wrong_item")?.count).toBe(2);
    // The final-sale clutch declined by RET-2: its $180.00 stayed sold.
    expect(a.refusedByRule).toContainEqual({ rule: "RET-2", count: 1, keptCents: 18_000 });
    // Only the ring's refund kept its $20 label fee (the inauthentic bag got it back, claims have none).
    expect(a.feesCents).toBe(2_000);
    expect(a.wrongItemAnswers).toEqual({ reported: 2, withinClock: 1, late: 0, unanswered: 1 });
    expect(a.daysToRefund.count).toBe(4);
    expect(a.daysToRefund.median).toBeCloseTo(3.2, 5);
  });
});
