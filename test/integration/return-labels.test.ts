import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { presetSettings } from "../../app/policy";
import { approveReturn, attachReturnLabel, requestReturn } from "../emulator/actions/returns";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { startCarrierEmulator, type CarrierEmulator } from "../emulator/carrier/server";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import type * as Issue from "../../app/services/labels/issue-label.server";
import type * as Upload from "../../app/services/labels/upload-label.server";
import type * as Sweep from "../../app/services/labels/void-expired-labels.server";
import type * as Approve from "../../app/services/returns/approve-return.server";
import type * as Processor from "../../app/services/webhooks/webhook-processor.server";
import type * as Home from "../../app/services/shops/home.server";
import type * as Steps from "../../app/services/returns/queue-steps.server";
import type * as ReturnRecord from "../../app/services/returns/return-record.server";

/**
 * Return labels through both emulators — Shopify's and EasyPost's — with the app's real
 * services, its /webhooks/carrier route and its inbox, every step at an injected time.
 */

const store = createStore({ domain: "labels-a.myshopify.com", name: "Labels A" });
const T = (iso: string) => new Date(iso);
const SECRET = "carrier-webhook-secret";
const settings = presetSettings("allu");

let app: Awaited<ReturnType<typeof startAppHarness>>;
let carrier: CarrierEmulator;
let carrierEndpoint: Server;
let issue: typeof Issue;
let upload: typeof Upload;
let sweep: typeof Sweep;
let approve: typeof Approve;
let processor: typeof Processor;
let home: typeof Home;
let steps: typeof Steps;
let record: typeof ReturnRecord;
let RETURN_QUERY: string;

beforeAll(async () => {
  carrier = await startCarrierEmulator({ apiKey: "EZTK-test-key", webhookSecret: SECRET });
  // The production wiring, pointed at the carrier emulator by configuration only.
  vi.stubEnv("EASYPOST_API_KEY", "EZTK-test-key");
  vi.stubEnv("EASYPOST_WEBHOOK_SECRET", SECRET);
  vi.stubEnv("EASYPOST_BASE_URL", carrier.baseUrl);
  vi.stubEnv("EASYPOST_TIMEOUT_MS", "1500");
  app = await startAppHarness(store);
  store.primaryLocation.address = {
    address1: "500 Madison Avenue",
    address2: "Floor 3",
    city: "New York",
    provinceCode: "NY",
    zip: "10022",
    countryCode: "US",
    phone: "+12125550100",
  };
  const { action } = await import("../../app/routes/webhooks.carrier");
  // The app's route on a loopback server: the request streamed in as the carrier sends it.
  carrierEndpoint = createServer((req, res) => {
    const init = { method: req.method, headers: req.headers as Record<string, string>, body: req, duplex: "half" };
    void action({
      request: new Request(`http://localhost${req.url}`, init as unknown as RequestInit),
      params: {},
      context: {},
    })
      .then(async (response) => res.writeHead(response.status).end(await response.text()))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => carrierEndpoint.listen(0, "127.0.0.1", resolve));
  carrier.setWebhookUrl(`http://127.0.0.1:${(carrierEndpoint.address() as AddressInfo).port}/webhooks/carrier`);
  issue = await import("../../app/services/labels/issue-label.server");
  upload = await import("../../app/services/labels/upload-label.server");
  sweep = await import("../../app/services/labels/void-expired-labels.server");
  approve = await import("../../app/services/returns/approve-return.server");
  processor = await import("../../app/services/webhooks/webhook-processor.server");
  home = await import("../../app/services/shops/home.server");
  steps = await import("../../app/services/returns/queue-steps.server");
  record = await import("../../app/services/returns/return-record.server");
  RETURN_QUERY = (await import("../../app/services/returns/returns-documents")).RETURN_QUERY;
});
afterAll(async () => {
  await new Promise<void>((resolve) => carrierEndpoint.close(() => resolve()));
  await carrier.close();
  await app.close();
});

/** A delivered order (placed `placedAt`, delivered 6 days later) and its return requested a day after delivery. */
async function requestedReturn(placedAt: Date): Promise<{ order: Node; ret: Node }> {
  const customer = shopper(store, {
    firstName: "Ada",
    lastName: "Byron",
    email: `ada+${store.orders.length}@example.com`,
  });
  const order = orderAt(store, {
    customer,
    items: [oneOfAKind(store, { title: `Hermès scarf ${store.orders.length}`, priceCents: 45_000 })],
    stage: "delivered",
    placedAt,
    deliveredAfterHours: 24 * 6,
  });
  store.setClock(null);
  await app.emulator.webhooks.idle();
  const requestedAt = new Date(placedAt.getTime() + 7 * 86_400_000);
  await app.drain(requestedAt);
  const fli = ((order.fulfillments as Node[])[0]!.fulfillmentLineItems as Node[])[0]!;
  const ret = requestReturn(
    store,
    order,
    [{ fulfillmentLineItemId: fli.id, quantity: 1, returnReason: "UNWANTED" }],
    requestedAt,
  );
  const gateway = await app.gateway(store.domain);
  const shopifyReturn = (await gateway.request<{ return: ReturnRecord.ShopifyReturn }>(RETURN_QUERY, { id: ret.id }))
    .return;
  await steps.withOrders(app.prisma, store.domain, requestedAt, (orders) =>
    record.recordRequestedReturn(orders, {
      shop: store.domain,
      ret: shopifyReturn,
      source: "portal",
      reason: "change_of_mind",
      feeCents: 2_000,
      currency: "USD",
      lineFacts: new Map(),
      settings,
      eventSource: "portal",
    }),
  );
  return { order, ret };
}

const deps = async () => ({ db: app.prisma, gateway: await app.gateway(store.domain), settings });

/** Staff approve at `at`; the label is bought by the labels service as the queue calls it. */
async function approveWithLabel(ret: Node, at: Date) {
  const gateway = await app.gateway(store.domain);
  store.setClock(at);
  const ctx = { db: app.prisma, gateway, settings, now: at };
  const approved = await approve.approveReturn(ctx, ret.id, {
    issueLabel: async (input) => issue.issueReturnLabel(input.shop, input.returnId, input.now, await deps()),
  });
  store.setClock(null);
  return approved;
}

const labelOf = (returnId: string) =>
  app.prisma.returnLabel.findFirstOrThrow({ where: { returnId }, orderBy: { issuedAt: "desc" } });
const returnRow = (id: string) => app.prisma.return.findUniqueOrThrow({ where: { id } });
const eventsOf = async (returnId: string) =>
  (await app.prisma.orderEvent.findMany({ where: { ref: returnId }, orderBy: { occurredAt: "asc" } })).map((e) => ({
    kind: e.kind,
    at: e.occurredAt.toISOString(),
  }));
const deliveriesOf = (ret: Node) =>
  (ret.reverseFulfillmentOrders as Node[]).flatMap((r) => r.reverseDeliveries as Node[]);
const labelSweep = (now: Date) => sweep.voidExpiredLabels(now, { db: app.prisma });

describe("return labels: bought on approval, given to the shopper in Shopify, voided on RET-6's business day", () => {
  it("a label issued Wed 23 Dec voids at the end of Mon 28 Dec (Christmas Fri 25th), once; a later scan is rejected", async () => {
    const { order, ret } = await requestedReturn(T("2026-12-12T15:00:00Z"));
    const approved = await approveWithLabel(ret, T("2026-12-23T15:00:00Z"));
    expect(approved.label.state).toBe("issued");
    const label = await labelOf(ret.id);
    expect(label).toMatchObject({ status: "issued", source: "carrier", carrier: "easypost:USPS" });
    expect(label.voidsAt.toISOString()).toBe("2026-12-29T04:59:59.999Z"); // Mon 28 Dec 23:59:59.999 New York

    // In Shopify: one reverse delivery with the tracking number and the label PDF uploaded to its staged target.
    const [delivery, ...more] = deliveriesOf(ret);
    expect(more).toHaveLength(0);
    expect(delivery!.deliverable.tracking).toMatchObject({ number: label.trackingNumber, carrierName: "USPS" });
    expect(delivery!._notifyCustomer).toBe(true);
    const uploaded = store.uploads.get(new URL(delivery!.deliverable.label.publicFileUrl).pathname);
    expect(uploaded?.body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(label.reverseDeliveryId).toBe(delivery!.id);
    // The carrier's shipment is a return (addresses swapped: it goes back to the shop's location).
    const shipment = carrier.shipments.get(label.carrierShipmentId!)!;
    expect(shipment.isReturn).toBe(true);
    expect(shipment.toAddress).toMatchObject({ street1: "500 Madison Avenue", zip: "10022" });

    // On the timeline (once: Shopify's reverse_deliveries/attach_deliverable names the same step) and in the deadlines.
    await app.emulator.webhooks.idle();
    await app.drain(T("2026-12-23T15:30:00Z"));
    const issuedEvents = await app.prisma.orderEvent.findMany({ where: { orderId: order.id, kind: "label_issued" } });
    expect(issuedEvents.map((e) => [e.ref, e.occurredAt.toISOString()])).toEqual([
      [ret.id, "2026-12-23T15:00:00.000Z"],
    ]);
    const deadlines = await app.prisma.orderDeadline.findMany({ where: { key: { endsWith: ret.id } } });
    expect(deadlines.find((d) => d.key === `label_void:${ret.id}`)).toMatchObject({
      rule: "RET-6",
      dueAt: label.voidsAt,
    });
    expect(deadlines.find((d) => d.key === `return_arrival:${ret.id}`)?.rule).toBe("RET-12");

    // Not on Christmas, nor at the moment itself: just after it.
    expect((await labelSweep(T("2026-12-26T15:00:00Z"))).voided).toBe(0);
    expect((await labelSweep(label.voidsAt)).voided).toBe(0);
    expect((await labelSweep(T("2026-12-29T05:00:00Z"))).voided).toBe(1);
    expect(carrier.refunds(label.carrierShipmentId!)).toBe(1);
    expect(await labelOf(ret.id)).toMatchObject({ status: "voided", voidedAt: T("2026-12-29T05:00:00Z") });
    expect((await returnRow(ret.id)).status).toBe("label_voided");
    expect(await eventsOf(ret.id)).toContainEqual({ kind: "label_voided", at: "2026-12-29T04:59:59.999Z" });
    // A second sweep voids nothing more with the carrier.
    expect((await labelSweep(T("2026-12-29T06:00:00Z"))).voided).toBe(0);
    expect(carrier.refunds(label.carrierShipmentId!)).toBe(1);

    // The shopper ships anyway on Tuesday: shipped after the label voided, rejected (RET-6).
    expect(await carrier.scan(label.carrierShipmentId!, T("2026-12-29T15:00:00Z"))).toBe(200);
    await app.drain(T("2026-12-29T16:00:00Z"));
    expect(await labelOf(ret.id)).toMatchObject({ status: "rejected", firstScanAt: T("2026-12-29T15:00:00Z") });
    expect((await returnRow(ret.id)).status).toBe("rejected");
    expect(await eventsOf(ret.id)).toContainEqual({ kind: "return_rejected", at: "2026-12-29T15:00:00.000Z" });
  });

  it("over a weekend: issued Fri 4 Dec, still good on Tue 8 Dec, voided once on Wed even by two sweeps at once", async () => {
    const { ret } = await requestedReturn(T("2026-11-25T15:00:00Z"));
    await approveWithLabel(ret, T("2026-12-04T20:00:00Z"));
    const label = await labelOf(ret.id);
    expect(label.voidsAt.toISOString()).toBe("2026-12-09T04:59:59.999Z"); // Tue 8 Dec 23:59:59.999 New York
    expect((await labelSweep(T("2026-12-09T04:00:00Z"))).voided).toBe(0);
    const [a, b] = await Promise.all([labelSweep(T("2026-12-09T05:00:00Z")), labelSweep(T("2026-12-09T05:00:00Z"))]);
    expect(a.voided + b.voided).toBe(1);
    expect(carrier.refunds(label.carrierShipmentId!)).toBe(1);
    expect((await labelOf(ret.id)).status).toBe("voided");
  });

  it("label → scan → delivered: shipped in time, received, and never voided", async () => {
    const { ret } = await requestedReturn(T("2026-11-20T15:00:00Z"));
    await approveWithLabel(ret, T("2026-12-02T15:00:00Z"));
    const label = await labelOf(ret.id);
    expect(label.voidsAt.toISOString()).toBe("2026-12-05T04:59:59.999Z"); // Wed → Fri
    await carrier.scan(label.carrierShipmentId!, T("2026-12-03T18:00:00Z"));
    await app.drain(T("2026-12-03T19:00:00Z"));
    expect(await labelOf(ret.id)).toMatchObject({ status: "in_transit", firstScanAt: T("2026-12-03T18:00:00Z") });
    expect((await returnRow(ret.id)).status).toBe("in_transit");
    // Past the void moment the scanned label is left alone.
    expect((await labelSweep(T("2026-12-06T12:00:00Z"))).voided).toBe(0);
    expect(carrier.refunds(label.carrierShipmentId!)).toBe(0);

    await carrier.deliver(label.carrierShipmentId!, T("2026-12-07T16:00:00Z"));
    await app.drain(T("2026-12-07T17:00:00Z"));
    expect(await labelOf(ret.id)).toMatchObject({ status: "delivered", deliveredAt: T("2026-12-07T16:00:00Z") });
    expect(await returnRow(ret.id)).toMatchObject({ status: "received", receivedAt: T("2026-12-07T16:00:00Z") });
    const kinds = (await eventsOf(ret.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["label_issued", "return_shipped", "return_received"]));
    expect(kinds).not.toContain("label_voided");
    const arrival = await app.prisma.orderDeadline.findFirstOrThrow({ where: { key: `return_arrival:${ret.id}` } });
    expect(arrival.settled).toBe(true);
    // The same event delivered again changes nothing.
    expect(await carrier.sendTrackerEvent(label.carrierShipmentId!)).toBe(200);
    await app.drain(T("2026-12-07T18:00:00Z"));
    expect((await returnRow(ret.id)).status).toBe("received");
  });

  it("a parcel scanned but not delivered by RET-12's date raises a lost-in-transit alert (RET-13)", async () => {
    const { order, ret } = await requestedReturn(T("2026-11-18T15:00:00Z"));
    await approveWithLabel(ret, T("2026-11-30T15:00:00Z"));
    const label = await labelOf(ret.id);
    await carrier.scan(label.carrierShipmentId!, T("2026-12-01T15:00:00Z"));
    await app.drain(T("2026-12-01T16:00:00Z"));
    const arrival = await app.prisma.orderDeadline.findFirstOrThrow({ where: { key: `return_arrival:${ret.id}` } });
    expect((await labelSweep(arrival.dueAt)).lost).toBe(0);
    expect((await labelSweep(new Date(arrival.dueAt.getTime() + 1))).lost).toBe(1);
    const alert = await app.prisma.orderAlert.findFirstOrThrow({ where: { orderId: order.id, kind: "return_lost" } });
    expect(alert).toMatchObject({ rule: "RET-13", since: arrival.dueAt });
    expect((await returnRow(ret.id)).status).toBe("lost");
    expect((await labelOf(ret.id)).status).toBe("lost");
  });
});

describe("carrier faults: a clear message, nothing half-done, a retry buys one label", () => {
  it("EasyPost answering 500 to the purchase: approval reports it, the retry buys one label", async () => {
    const { ret } = await requestedReturn(T("2026-11-16T15:00:00Z"));
    carrier.failNext(/^POST \/v2\/shipments\/\w+\/buy$/, { status: 500 });
    const approved = await approveWithLabel(ret, T("2026-11-30T15:00:00Z"));
    expect(approved.label).toEqual({
      state: "failed",
      message: expect.stringContaining("EasyPost failed (HTTP 500) while trying to buy the return label"),
    });
    expect(await app.prisma.returnLabel.count({ where: { returnId: ret.id } })).toBe(0);
    expect(deliveriesOf(ret)).toHaveLength(0);

    const retried = await issue.issueReturnLabel(store.domain, ret.id, T("2026-11-30T15:05:00Z"), await deps());
    const ours = [...carrier.shipments.values()].filter((s) => s.reference === ret.id);
    expect(ours).toHaveLength(1); // the shipment made before the failure is the one bought
    // Two purchase requests reached EasyPost (the failed one and the retry), one label was bought.
    expect(carrier.requests.filter((r) => r === `POST /v2/shipments/${ours[0]!.id}/buy`)).toHaveLength(2);
    expect(carrier.purchases(ours[0]!.id)).toBe(1);
    expect(retried.trackingNumber).toBe(ours[0]!.bought!.trackingCode);
    expect(deliveriesOf(ret)).toHaveLength(1);
    // A double click afterwards: the same label, nothing bought or attached again.
    const again = await issue.issueReturnLabel(store.domain, ret.id, T("2026-11-30T15:06:00Z"), await deps());
    expect(again).toMatchObject({ repeated: true, trackingNumber: retried.trackingNumber });
    expect(deliveriesOf(ret)).toHaveLength(1);
  });

  it("EasyPost buying the label but timing out: the retry finds it bought and does not buy a second", async () => {
    const { ret } = await requestedReturn(T("2026-11-14T15:00:00Z"));
    await approve.approveReturn(
      { db: app.prisma, gateway: await app.gateway(store.domain), settings, now: T("2026-11-30T15:59:00Z") },
      ret.id,
    );
    carrier.failNext(/^POST \/v2\/shipments\/\w+\/buy$/, { hang: "after" });
    const error = await issue.issueReturnLabel(store.domain, ret.id, T("2026-11-30T16:00:00Z"), await deps()).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(error).toMatchObject({ code: "CARRIER_UNAVAILABLE" });
    expect(error!.message).toMatch(/did not answer in time while trying to buy the return label.*try again/);
    const shipment = [...carrier.shipments.values()].find((s) => s.reference === ret.id)!;
    expect(shipment.bought).not.toBeNull(); // the carrier did buy it

    const retried = await issue.issueReturnLabel(store.domain, ret.id, T("2026-11-30T16:10:00Z"), await deps());
    expect(carrier.purchases(shipment.id)).toBe(1);
    expect(retried.trackingNumber).toBe(shipment.bought!.trackingCode);
    expect(deliveriesOf(ret)).toHaveLength(1);
  });

  it("a carrier failing while voiding leaves the label for the next sweep, which voids it once", async () => {
    const { ret } = await requestedReturn(T("2026-11-12T15:00:00Z"));
    await approveWithLabel(ret, T("2026-11-24T15:00:00Z")); // Tue → voids at the end of Fri 27 Nov (after Thanksgiving)
    const label = await labelOf(ret.id);
    expect(label.voidsAt.toISOString()).toBe("2026-11-28T04:59:59.999Z");
    carrier.failNext(/^POST \/v2\/shipments\/\w+\/refund$/, { status: 503 });
    expect(await labelSweep(T("2026-11-28T06:00:00Z"))).toMatchObject({ voided: 0, failed: 1 });
    expect((await labelOf(ret.id)).status).toBe("issued");
    expect(await labelSweep(T("2026-11-28T06:01:00Z"))).toMatchObject({ voided: 1, failed: 0 });
    // Two refund requests (the failed one and the retry), one refund made.
    expect(carrier.requests.filter((r) => r === `POST /v2/shipments/${label.carrierShipmentId}/refund`)).toHaveLength(
      2,
    );
    expect(carrier.refunds(label.carrierShipmentId!)).toBe(1);
    expect((await labelOf(ret.id)).status).toBe("voided");
  });
});

describe("carrier tracking webhooks", () => {
  it("a forged webhook is refused with 401 and stores nothing; the internal topic is refused on Shopify's /webhooks", async () => {
    const { ret } = await requestedReturn(T("2026-11-10T15:00:00Z"));
    await approveWithLabel(ret, T("2026-11-23T15:00:00Z"));
    const label = await labelOf(ret.id);
    const carrierEvents = () => app.prisma.webhookEvent.count({ where: { topic: "carrier/tracker.updated" } });
    const before = await carrierEvents();
    carrier.shipments.get(label.carrierShipmentId!)!.tracker!.status = "in_transit";
    expect(await carrier.sendTrackerEvent(label.carrierShipmentId!, { secret: "not-the-secret" })).toBe(401);
    expect(await carrier.sendTrackerEvent(label.carrierShipmentId!, { signature: null })).toBe(401);
    expect(await carrier.sendTrackerEvent(label.carrierShipmentId!, { signature: "hmac-sha256-hex=00" })).toBe(401);
    expect(await carrierEvents()).toBe(before);
    const refused = await app.deliver(JSON.stringify({ trackingNumber: label.trackingNumber }), {
      topic: "carrier/tracker.updated",
      shop: store.domain,
      webhookId: "forged-through-shopify",
    });
    // Refused (400 today; never accepted, whatever the inbox's admission answers first).
    expect(refused.ok).toBe(false);
    expect(await carrierEvents()).toBe(before);
    await app.drain(T("2026-11-23T16:00:00Z"));
    expect(await labelOf(ret.id)).toMatchObject({ status: "issued", firstScanAt: null });
  });
});

describe("staff's own label", () => {
  it("takes a PDF within the limit, refuses anything else with a sentence, and gives it to the shopper", async () => {
    const { ret } = await requestedReturn(T("2026-11-08T15:00:00Z"));
    const now = T("2026-11-21T15:00:00Z");
    await approve.approveReturn({ db: app.prisma, gateway: await app.gateway(store.domain), settings, now }, ret.id);
    const png = { filename: "label.png", contentType: "image/png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
    await expect(
      upload.uploadReturnLabel(store.domain, ret.id, { file: png }, now, await deps()),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A label must be a PDF file: export or print the label to PDF and upload that.",
    });
    expect(deliveriesOf(ret)).toHaveLength(0);
    const pdf = {
      filename: "label.pdf",
      contentType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
    };
    const issued = await upload.uploadReturnLabel(
      store.domain,
      ret.id,
      { file: pdf, trackingNumber: "1Z999AA10123456784" },
      now,
      await deps(),
    );
    expect(issued.voidsAt.toISOString()).toBe("2026-11-25T04:59:59.999Z"); // Sat → Mon, Tue
    const [delivery] = deliveriesOf(ret);
    expect(delivery!.deliverable.tracking).toMatchObject({ number: "1Z999AA10123456784", carrierName: "UPS" });
    expect(await labelOf(ret.id)).toMatchObject({ source: "uploaded", status: "issued" });
    // Voided by the sweep without a carrier to call.
    expect((await labelSweep(T("2026-11-25T05:00:00Z"))).voided).toBe(1);
    expect((await labelOf(ret.id)).status).toBe("voided");
  });
});

describe("the order's timeline beside the return's own label", () => {
  const voidedEntries = async (orderId: string) =>
    (await app.prisma.orderEvent.findMany({ where: { orderId, kind: "label_voided" } })).map((e) => [
      e.ref,
      e.occurredAt.toISOString(),
      e.source,
    ]);
  const deadlineKeys = async (orderId: string) =>
    (await app.prisma.orderDeadline.findMany({ where: { orderId } })).map((d) => d.key);
  /** The home page's RET-6 rows "due in the next 24 hours" of one order. */
  const dueRows = async (name: string, now: Date) =>
    (await home.loadAttention(app.prisma, store.domain, settings, now)).dueSoon
      .filter((d) => d.order === name && d.rule === "RET-6")
      .map((d) => [d.rule, d.label]);

  it("an app label voided unscanned is one 'label voided' entry, under the return, after the order is refreshed", async () => {
    const { order, ret } = await requestedReturn(T("2026-11-04T15:00:00Z"));
    await approveWithLabel(ret, T("2026-11-18T15:00:00Z"));
    await app.emulator.webhooks.idle();
    await app.drain(T("2026-11-18T15:30:00Z"));
    const label = await labelOf(ret.id);
    expect(label.voidsAt.toISOString()).toBe("2026-11-21T04:59:59.999Z"); // Wed → end of Fri 20 Nov, New York
    // The home page names the return's deadline once, with its rule; no order-level copy beside it.
    expect(await dueRows(order.name, T("2026-11-20T12:00:00Z"))).toEqual([["RET-6", "Return label voids"]]);

    const after = T("2026-11-21T06:00:00Z");
    expect((await labelSweep(after)).voided).toBe(1);
    // The worker's deadline sweep refreshes the order, then an order webhook refreshes it again.
    await processor.sweepDueDeadlines(app.prisma, after);
    store.emitTopic("orders/updated", order, after);
    await app.emulator.webhooks.idle();
    await app.drain(after);
    expect(await voidedEntries(order.id)).toEqual([[ret.id, label.voidsAt.toISOString(), "RET-6"]]);
    const keys = await deadlineKeys(order.id);
    expect(keys).toContain(`label_void:${ret.id}`);
    expect(keys).not.toContain("return_label_voids_at");
  });

  it("a label the merchant attached in Shopify keeps the order-level rule: its void is derived once, at RET-6's moment", async () => {
    const { order, ret } = await requestedReturn(T("2026-11-02T15:00:00Z"));
    approveReturn(store, ret, T("2026-11-18T14:00:00Z"));
    attachReturnLabel(
      store,
      (ret.reverseFulfillmentOrders as Node[])[0]!,
      { fileUrl: "https://cdn.example.com/merchant-label.pdf", trackingNumber: "7712345678" },
      T("2026-11-18T15:00:00Z"),
    );
    await app.emulator.webhooks.idle();
    await app.drain(T("2026-11-18T15:30:00Z"));
    expect(await app.prisma.returnLabel.count({ where: { returnId: ret.id } })).toBe(0);
    expect(await deadlineKeys(order.id)).toContain("return_label_voids_at");
    expect(await dueRows(order.name, T("2026-11-20T12:00:00Z"))).toEqual([["RET-6", "Return label voids at"]]);

    const after = T("2026-11-21T06:00:00Z");
    await processor.sweepDueDeadlines(app.prisma, after);
    expect(await voidedEntries(order.id)).toEqual([["", "2026-11-21T04:59:59.999Z", "RET-6"]]);
  });
});
