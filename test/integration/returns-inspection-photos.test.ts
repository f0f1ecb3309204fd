import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings, type PolicySettings } from "../../app/policy";
import { createStore } from "../emulator/builders";
import type { EmulatedStore } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import { portalReturn, refusal } from "./returns-staff-world";
import type * as Approve from "../../app/services/returns/approve-return.server";
import type * as Receive from "../../app/services/returns/receive-return.server";
import type * as Inspect from "../../app/services/returns/inspect-return.server";
import type * as Detail from "../../app/services/returns/return-detail.server";
import type * as View from "../../app/components/returns/return-view";
import type * as Errors from "../../app/services/returns/queue-errors";

/**
 * RET-5's photos: staff attach photos to the inspection; they are stored as Shopify files the
 * way claim photos are, shown beside the shopper's photos and named by the inspection step.
 */

const storeA = createStore({ domain: "photos-a.myshopify.com", name: "Photos A" });
const storeB = createStore({ domain: "photos-b.myshopify.com", name: "Photos B" });
const T = (iso: string) => new Date(iso);
const PLACED = T("2026-11-02T15:00:00Z");
const REQUESTED = T("2026-11-10T15:00:00Z");
const day = (d: number) => new Date(REQUESTED.getTime() + d * 86_400_000);
const settings: PolicySettings = presetSettings("allu");

let app: Awaited<ReturnType<typeof startAppHarness>>;
let svc: typeof Approve & typeof Receive & typeof Inspect;
let detail: typeof Detail;
let view: typeof View;
let errors: typeof Errors;

beforeAll(async () => {
  app = await startAppHarness(storeA, { otherStores: [storeB] });
  svc = {
    ...(await import("../../app/services/returns/approve-return.server")),
    ...(await import("../../app/services/returns/receive-return.server")),
    ...(await import("../../app/services/returns/inspect-return.server")),
  };
  detail = await import("../../app/services/returns/return-detail.server");
  view = await import("../../app/components/returns/return-view");
  errors = await import("../../app/services/returns/queue-errors");
});
afterAll(() => app.close());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const photo = (filename: string, data: Uint8Array, contentType = "image/png") => ({ filename, contentType, data });

async function staffOf(store: EmulatedStore, now: Date) {
  store.setClock(now);
  return { db: app.prisma, gateway: await app.gateway(store.domain), settings, now };
}

/** A delivered damaged-item claim with one claim photo on record, approved and received. */
async function receivedClaim(store: EmulatedStore) {
  const { ret } = await portalReturn(app, store, {
    placedAt: PLACED,
    requestedAt: REQUESTED,
    reason: "damaged",
    feeCents: 0,
    settings,
    priceCents: 80_000,
    photos: [
      {
        fileId: "gid://shopify/MediaImage/claim-1",
        url: "https://cdn.example/claim.png",
        contentType: "image/png",
        bytes: 12,
      },
    ],
  });
  await svc.approveReturn(await staffOf(store, day(0.1)), ret.id);
  await svc.receiveReturn(await staffOf(store, day(3)), ret.id);
  return ret;
}

const CHECKLIST = {
  asDescribed: true,
  originalPackaging: true,
  allTags: true,
  authentic: true,
  provenInauthentic: false,
};
const photoRows = (returnId: string) =>
  app.prisma.returnPhoto.findMany({ where: { returnId }, orderBy: { createdAt: "asc" } });

describe("inspection photos (RET-5)", () => {
  it("stores the photos as Shopify files once, beside the claim photos, named by the inspection step", async () => {
    const ret = await receivedClaim(storeA);
    const filesBefore = storeA.files.length;
    const ctx = await staffOf(storeA, day(3.1));
    const input = {
      ...CHECKLIST,
      note: "As described",
      photos: [photo("front.png", PNG), photo("tag.jpg", JPEG, "image/jpeg")],
    };
    const inspected = await svc.inspectReturn(ctx, ret.id, input);
    expect(inspected.inspection.outcome).toBe("passed");

    // Two Shopify files (images, ready), made through the staged upload the claim photos use.
    const made = storeA.files.slice(filesBefore);
    expect(made.map((f) => [f.__typename, f.fileStatus, f.mimeType])).toEqual([
      ["MediaImage", "READY", "image/png"],
      ["MediaImage", "READY", "image/jpeg"],
    ]);
    const rows = await photoRows(ret.id);
    expect(rows.map((r) => [r.kind, r.shop])).toEqual([
      ["claim", storeA.domain],
      ["inspection", storeA.domain],
      ["inspection", storeA.domain],
    ]);
    expect(rows.filter((r) => r.kind === "inspection").map((r) => r.fileId)).toEqual(made.map((f) => f.id));
    expect(inspected.inspection.photos?.map((p) => p.fileId)).toEqual(made.map((f) => f.id));

    // A double click: the same inspection, no second upload, no second rows.
    const again = await svc.inspectReturn(await staffOf(storeA, day(3.11)), ret.id, input);
    expect(again.repeated).toBe(true);
    expect(storeA.files.length).toBe(filesBefore + 2);
    expect(await photoRows(ret.id)).toHaveLength(3);

    // The detail page: the shopper's photo and the inspection's, and the step that recorded them.
    const shown = view.returnView(
      await detail.returnDetail(await staffOf(storeA, day(3.2)), ret.id),
      "America/New_York",
      day(3.2),
    );
    expect(shown.claimPhotos.map((p) => p.url)).toEqual(["https://cdn.example/claim.png"]);
    expect(shown.inspectionPhotos.map((p) => p.url)).toEqual(made.map((f) => f.image.url));
    expect(shown.timeline.map((e) => e.label)).toContain("Inspected (2 photos)");
  });

  it("refuses a file that is not an image, one too large and too many with a 400 sentence, storing nothing", async () => {
    const ret = await receivedClaim(storeA);
    const filesBefore = storeA.files.length;
    const ctx = await staffOf(storeA, day(3.1));
    const cases: Array<[ReturnType<typeof photo>[], string]> = [
      [
        [photo("receipt.pdf", new TextEncoder().encode("%PDF-1.4"), "application/pdf")],
        "receipt.pdf is not a photo; send a JPEG, PNG, GIF or WebP image.",
      ],
      [
        [
          photo(
            "huge.png",
            new Uint8Array(10 * 1024 * 1024 + 1).fill(0x89, 0, 1).fill(0x50, 1, 2).fill(0x4e, 2, 3).fill(0x47, 3, 4),
          ),
        ],
        "huge.png is larger than 10 MB; send a smaller photo.",
      ],
      [Array.from({ length: 6 }, (_, i) => photo(`p${i}.png`, PNG)), "Attach at most 5 photos."],
    ];
    for (const [photos, message] of cases) {
      const error = await refusal<Errors.QueueError>(svc.inspectReturn(ctx, ret.id, { ...CHECKLIST, photos }));
      expect([error.code, error.message, errors.QUEUE_ERROR_STATUS[error.code]]).toEqual(["BAD_REQUEST", message, 400]);
    }
    expect(storeA.files.length).toBe(filesBefore);
    expect((await photoRows(ret.id)).map((r) => r.kind)).toEqual(["claim"]);
    const row = await app.prisma.return.findUniqueOrThrow({ where: { id: ret.id } });
    expect([row.status, row.inspection]).toEqual(["received", null]);
    // Nothing was used up: the inspection with good photos goes through afterwards.
    const ok = await svc.inspectReturn(ctx, ret.id, { ...CHECKLIST, photos: [photo("ok.png", PNG)] });
    expect(ok.inspection.photos).toHaveLength(1);
  });

  it("staff of shop B can neither add photos to shop A's return nor see them", async () => {
    const ret = await receivedClaim(storeA);
    const filesA = storeA.files.length;
    const filesB = storeB.files.length;
    const b = await staffOf(storeB, day(3.1));
    const added = await refusal<Errors.QueueError>(
      svc.inspectReturn(b, ret.id, { ...CHECKLIST, photos: [photo("x.png", PNG)] }),
    );
    expect([added.code, errors.QUEUE_ERROR_STATUS[added.code]]).toEqual(["NOT_FOUND", 404]);
    expect([storeA.files.length, storeB.files.length]).toEqual([filesA, filesB]);
    expect((await photoRows(ret.id)).map((r) => r.kind)).toEqual(["claim"]);

    await svc.inspectReturn(await staffOf(storeA, day(3.2)), ret.id, { ...CHECKLIST, photos: [photo("a.png", PNG)] });
    const seen = await refusal<Errors.QueueError>(detail.returnDetail(await staffOf(storeB, day(3.3)), ret.id));
    expect(seen.code).toBe("NOT_FOUND");
    expect(seen.message).not.toContain(ret.id);
  });
});
