import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore } from "../emulator/builders";
import { startCarrierEmulator, type CarrierEmulator } from "../emulator/carrier/server";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import { portalReturn, refusal } from "./returns-staff-world";
import type * as Issue from "../../app/services/labels/issue-label.server";
import type * as Upload from "../../app/services/labels/upload-label.server";
import type * as Sweep from "../../app/services/labels/void-expired-labels.server";
import type * as Approve from "../../app/services/returns/approve-return.server";
import type * as Detail from "../../app/services/returns/return-detail.server";
import type * as Errors from "../../app/services/returns/queue-errors";

/**
 * Staff's own label PDF and "send a new label" (RET-6): through Shopify's emulator (staged
 * RETURN_LABEL upload, reverseDeliveryCreateWithShipping) and EasyPost's (voiding a lost label).
 */

const store = createStore({ domain: "label-upload-a.myshopify.com", name: "Label Upload A" });
const T = (iso: string) => new Date(iso);
const settings = presetSettings("allu");
const PDF = {
  filename: "label.pdf",
  contentType: "application/pdf",
  bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
};

let app: Awaited<ReturnType<typeof startAppHarness>>;
let carrier: CarrierEmulator;
let issue: typeof Issue;
let upload: typeof Upload;
let sweep: typeof Sweep;
let approve: typeof Approve;
let detail: typeof Detail;
let errors: typeof Errors;

beforeAll(async () => {
  carrier = await startCarrierEmulator({ apiKey: "EZTK-upload-key", webhookSecret: "secret" });
  vi.stubEnv("EASYPOST_API_KEY", "EZTK-upload-key");
  vi.stubEnv("EASYPOST_WEBHOOK_SECRET", "secret");
  vi.stubEnv("EASYPOST_BASE_URL", carrier.baseUrl);
  app = await startAppHarness(store);
  store.primaryLocation.address = {
    address1: "11 Wall Street",
    address2: null,
    city: "New York",
    provinceCode: "NY",
    zip: "10005",
    countryCode: "US",
    phone: "+12125550199",
  };
  issue = await import("../../app/services/labels/issue-label.server");
  upload = await import("../../app/services/labels/upload-label.server");
  sweep = await import("../../app/services/labels/void-expired-labels.server");
  approve = await import("../../app/services/returns/approve-return.server");
  detail = await import("../../app/services/returns/return-detail.server");
  errors = await import("../../app/services/returns/queue-errors");
});
afterAll(async () => {
  await carrier.close();
  await app.close();
});

/** A delivered order and its change-of-mind return, approved in Shopify at `approvedAt` without a label. */
async function approvedReturn(placedAt: Date, approvedAt: Date): Promise<Node> {
  const requestedAt = new Date(placedAt.getTime() + 7 * 86_400_000);
  const { ret } = await portalReturn(app, store, {
    placedAt,
    requestedAt,
    reason: "change_of_mind",
    feeCents: 2_000,
    settings,
  });
  store.setClock(approvedAt);
  await approve.approveReturn(
    { db: app.prisma, gateway: await app.gateway(store.domain), settings, now: approvedAt },
    ret.id,
  );
  store.setClock(null);
  return ret;
}

/** The shop's gateway, counting label mutations; `before` runs just before each is sent. */
async function shopify(before?: (field: string) => void) {
  const gateway = await app.gateway(store.domain);
  const sent: string[] = [];
  const caller = {
    shop: store.domain,
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      const field = /\b(stagedUploadsCreate|reverseDeliveryCreateWithShipping)\(/.exec(document)?.[1];
      if (field) {
        sent.push(field);
        before?.(field);
      }
      return gateway.request<T>(document, variables);
    },
  };
  return { deps: { db: app.prisma, gateway: caller, settings }, sent };
}

const labelsOf = (returnId: string) =>
  app.prisma.returnLabel.findMany({ where: { returnId }, orderBy: { issuedAt: "asc" } });
const deliveriesOf = (ret: Node) =>
  (ret.reverseFulfillmentOrders as Node[]).flatMap((r) => r.reverseDeliveries as Node[]);
const deadline = (ret: Node) => app.prisma.orderDeadline.findFirstOrThrow({ where: { key: `label_void:${ret.id}` } });
const detailOf = async (ret: Node, now: Date) =>
  detail.returnDetail({ db: app.prisma, gateway: await app.gateway(store.domain), settings, now }, ret.id);

describe("staff's own label, with carrier and tracking number", () => {
  it("is uploaded once to Shopify for an approved return without a label, double-clicked and retried", async () => {
    const now = T("2026-11-20T15:00:00Z"); // Friday
    const ret = await approvedReturn(T("2026-11-01T15:00:00Z"), T("2026-11-19T15:00:00Z"));
    expect((await detailOf(ret, now)).actions).toMatchObject({ uploadLabel: true, replaceLabel: false });
    const { deps, sent } = await shopify();
    const input = { file: PDF, carrier: "UPS", trackingNumber: "1Z999AA10123456784", seenLabels: 0 };
    const clicks = await Promise.allSettled([
      upload.uploadReturnLabel(store.domain, ret.id, input, now, deps),
      upload.uploadReturnLabel(store.domain, ret.id, input, now, deps),
    ]);
    const sentOne = clicks.filter((c) => c.status === "fulfilled");
    expect(sentOne.length).toBeGreaterThanOrEqual(1);
    for (const c of clicks)
      if (c.status === "rejected") expect((c.reason as Errors.QueueError).code).toBe("IN_PROGRESS");
    // A retry after the answer was lost: the same label, nothing sent again.
    const retried = await upload.uploadReturnLabel(store.domain, ret.id, input, T("2026-11-20T15:01:00Z"), deps);
    expect(retried.repeated).toBe(true);

    expect(sent).toEqual(["stagedUploadsCreate", "reverseDeliveryCreateWithShipping"]);
    const [delivery, ...more] = deliveriesOf(ret);
    expect(more).toHaveLength(0);
    expect(delivery!.deliverable.tracking).toMatchObject({ number: "1Z999AA10123456784", carrierName: "UPS" });
    expect(delivery!._notifyCustomer).toBe(true);
    const labels = await labelsOf(ret.id);
    expect(labels.map((l) => [l.source, l.carrier, l.trackingNumber, l.status])).toEqual([
      ["uploaded", "UPS", "1Z999AA10123456784", "issued"],
    ]);
    expect(labels[0]!.voidsAt.toISOString()).toBe("2026-11-25T04:59:59.999Z"); // Fri → Mon, Tue (New York)
    expect(retried.labelId).toBe(labels[0]!.id);
    expect((await detailOf(ret, now)).actions).toMatchObject({ uploadLabel: false, replaceLabel: true });
  });

  it("refuses bad input with a sentence and sends nothing", async () => {
    const now = T("2026-11-20T16:00:00Z");
    const ret = await approvedReturn(T("2026-11-01T16:00:00Z"), T("2026-11-19T16:00:00Z"));
    const { deps, sent } = await shopify();
    const cases: Array<[Partial<Upload.UploadedLabelInput>, string]> = [
      [
        { file: { ...PDF, bytes: new Uint8Array([0x89, 0x50]) } },
        "A label must be a PDF file: export or print the label to PDF and upload that.",
      ],
      [{ trackingNumber: "1Z 999" }, "A tracking number is 8 to 40 letters and digits, without spaces."],
      [{ carrier: "<script>" }, "Name the carrier in at most 40 letters or digits (e.g. UPS, USPS, FedEx)."],
      [{ seenLabels: 3 }, "This return's labels changed since the page was opened: reload it."],
    ];
    for (const [change, message] of cases) {
      const error = await refusal<Errors.QueueError>(
        upload.uploadReturnLabel(store.domain, ret.id, { file: PDF, carrier: "UPS", ...change }, now, deps),
      );
      expect(error.message).toBe(message);
      expect(errors.QUEUE_ERROR_STATUS[error.code]).toBeLessThan(500);
    }
    expect(sent).toEqual([]);
    expect(await labelsOf(ret.id)).toEqual([]);
  });

  it("shows Shopify's userErrors as a clear message, stores nothing, and the retry sends one label", async () => {
    const now = T("2026-11-20T17:00:00Z");
    const ret = await approvedReturn(T("2026-11-01T17:00:00Z"), T("2026-11-19T17:00:00Z"));
    const rfo = (ret.reverseFulfillmentOrders as Node[])[0]!;
    // The return is closed in Shopify's admin between the page and the click.
    const { deps } = await shopify((field) => {
      if (field === "reverseDeliveryCreateWithShipping") rfo.status = "CLOSED";
    });
    const input = { file: PDF, carrier: "FedEx", trackingNumber: "771234567890", seenLabels: 0 };
    const error = await refusal<Errors.QueueError>(upload.uploadReturnLabel(store.domain, ret.id, input, now, deps));
    expect([error.code, error.message, errors.QUEUE_ERROR_STATUS[error.code]]).toEqual([
      "SHOPIFY_USER_ERROR",
      "Shopify refused to give the shopper the label: Reverse fulfillment order is not open.",
      502,
    ]);
    expect(await labelsOf(ret.id)).toEqual([]);
    expect(deliveriesOf(ret)).toHaveLength(0);

    rfo.status = "OPEN"; // reopened: the retry goes through, once
    const retry = await shopify();
    await upload.uploadReturnLabel(store.domain, ret.id, input, T("2026-11-20T17:05:00Z"), retry.deps);
    await upload.uploadReturnLabel(store.domain, ret.id, input, T("2026-11-20T17:06:00Z"), retry.deps);
    expect(deliveriesOf(ret)).toHaveLength(1);
    expect(retry.sent).toEqual(["stagedUploadsCreate", "reverseDeliveryCreateWithShipping"]);
  });
});

describe("send a new label", () => {
  it("after RET-6 voided the label: the old stays voided, the new one has its own void moment from now", async () => {
    const ret = await approvedReturn(T("2026-11-20T15:00:00Z"), T("2026-12-01T15:00:00Z"));
    const bought = T("2026-12-02T15:00:00Z"); // Wednesday: voids at the end of Friday
    await issue.issueReturnLabel(store.domain, ret.id, bought, (await shopify()).deps);
    await sweep.voidExpiredLabels(T("2026-12-05T06:00:00Z"), { db: app.prisma });
    const [old] = await labelsOf(ret.id);
    expect(old).toMatchObject({ status: "voided", voidedAt: T("2026-12-05T06:00:00Z") });
    expect((await app.prisma.return.findUniqueOrThrow({ where: { id: ret.id } })).status).toBe("label_voided");
    expect((await detailOf(ret, T("2026-12-07T15:00:00Z"))).actions.uploadLabel).toBe(true);

    const now = T("2026-12-07T15:00:00Z"); // Monday
    const { deps } = await shopify();
    const input = { file: PDF, carrier: "USPS", trackingNumber: "9400111202555842761234", seenLabels: 1 };
    const sentNew = await upload.uploadReturnLabel(store.domain, ret.id, input, now, deps);
    expect(sentNew.voidsAt.toISOString()).toBe("2026-12-10T04:59:59.999Z"); // Mon → end of Wed, New York
    const labels = await labelsOf(ret.id);
    expect(labels.map((l) => [l.id, l.status, l.voidedAt?.toISOString() ?? null])).toEqual([
      [old!.id, "voided", "2026-12-05T06:00:00.000Z"],
      [sentNew.labelId, "issued", null],
    ]);
    expect(deliveriesOf(ret)).toHaveLength(2);
    expect(await deadline(ret)).toMatchObject({ dueAt: sentNew.voidsAt, settled: false, actedAt: null });
    const shown = await detailOf(ret, now);
    expect(shown.clock).toMatchObject({ kind: "label_voids", at: sentNew.voidsAt, overdue: false });
    expect(shown.actions).toMatchObject({ uploadLabel: false, replaceLabel: true });
    // The worker voids the new label on its own day, not the old one's.
    await sweep.voidExpiredLabels(T("2026-12-10T04:00:00Z"), { db: app.prisma });
    expect((await labelsOf(ret.id)).map((l) => l.status)).toEqual(["voided", "issued"]);
    // Pressed again on the old page: the label already sent, not a third one.
    const again = await upload.uploadReturnLabel(store.domain, ret.id, input, T("2026-12-07T15:02:00Z"), deps);
    expect([again.repeated, again.labelId]).toEqual([true, sentNew.labelId]);
    expect(deliveriesOf(ret)).toHaveLength(2);
  });

  it("for a label the shopper lost: the old one is voided with the carrier once and recorded voided", async () => {
    const ret = await approvedReturn(T("2026-11-20T18:00:00Z"), T("2026-12-01T18:00:00Z"));
    await issue.issueReturnLabel(store.domain, ret.id, T("2026-12-01T18:05:00Z"), (await shopify()).deps);
    const [lost] = await labelsOf(ret.id);
    const now = T("2026-12-02T14:00:00Z");
    const { deps } = await shopify();
    const input = { file: PDF, carrier: "UPS", trackingNumber: "1Z999AA10123456999", seenLabels: 1 };
    const notAsked = await refusal<Errors.QueueError>(upload.uploadReturnLabel(store.domain, ret.id, input, now, deps));
    expect(notAsked.message).toBe("This return already has a label: send a new one only if the shopper lost it.");

    const [a, b] = await Promise.allSettled([
      upload.uploadReturnLabel(store.domain, ret.id, { ...input, replace: true }, now, deps),
      upload.uploadReturnLabel(store.domain, ret.id, { ...input, replace: true }, now, deps),
    ]);
    expect([a, b].some((c) => c.status === "fulfilled")).toBe(true);
    expect(carrier.refunds(lost!.carrierShipmentId!)).toBe(1);
    const labels = await labelsOf(ret.id);
    expect(labels.map((l) => [l.carrier, l.status])).toEqual([
      ["easypost:USPS", "voided"],
      ["UPS", "issued"],
    ]);
    expect(labels[0]!.voidedAt).toEqual(now);
    const events = await app.prisma.orderEvent.findMany({ where: { ref: ret.id, kind: "label_voided" } });
    expect(events.map((e) => [e.occurredAt.toISOString(), e.source])).toEqual([[now.toISOString(), "app"]]);
    expect((await app.prisma.return.findUniqueOrThrow({ where: { id: ret.id } })).status).toBe("approved");
    expect(deliveriesOf(ret)).toHaveLength(2);
    // The sweep later finds nothing to void with the carrier for the lost label.
    await sweep.voidExpiredLabels(T("2026-12-04T06:00:00Z"), { db: app.prisma });
    expect(carrier.refunds(lost!.carrierShipmentId!)).toBe(1);
  });

  it("refuses to replace a label the carrier has scanned", async () => {
    const ret = await approvedReturn(T("2026-11-20T19:00:00Z"), T("2026-12-01T19:00:00Z"));
    await issue.issueReturnLabel(store.domain, ret.id, T("2026-12-01T19:05:00Z"), (await shopify()).deps);
    const [label] = await labelsOf(ret.id);
    await app.prisma.returnLabel.update({ where: { id: label!.id }, data: { firstScanAt: T("2026-12-02T10:00:00Z") } });
    const { deps, sent } = await shopify();
    const error = await refusal<Errors.QueueError>(
      upload.uploadReturnLabel(
        store.domain,
        ret.id,
        { file: PDF, replace: true, seenLabels: 1 },
        T("2026-12-02T12:00:00Z"),
        deps,
      ),
    );
    expect([error.code, error.message]).toEqual([
      "INVALID_STATE",
      "The carrier has scanned the parcel already: it is on its way and needs no new label.",
    ]);
    expect(sent).toEqual([]);
    expect(carrier.refunds(label!.carrierShipmentId!)).toBe(0);
  });
});
