import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";
import type * as Queue from "../../app/services/returns/returns-queue.server";

/**
 * The Returns page lists overdue returns first across the whole queue, not only within a page,
 * then the rest in the usual order, with pages that neither skip nor repeat a return. The queue
 * reads only the app's database: the returns are written there as the app records them.
 */

const storeA = createStore({ domain: "overdue-a.myshopify.com", name: "Overdue A" });
const storeB = createStore({ domain: "overdue-b.myshopify.com", name: "Overdue B" });
const NOW = new Date("2026-12-02T15:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const settings = presetSettings("allu");
/** A shop of its own for the "all" tab (the queue reads only the database). */
const C = "overdue-c.myshopify.com";

let app: Awaited<ReturnType<typeof startAppHarness>>;
let queue: typeof Queue;
let n = 0;

beforeAll(async () => {
  app = await startAppHarness(storeA, { otherStores: [storeB] });
  queue = await import("../../app/services/returns/returns-queue.server");
});
afterAll(() => app.close());

interface Seed {
  shop?: string;
  status: string;
  reason?: string;
  requestedAt: Date;
  label?: { status: string; voidsAt: Date };
  deadline?: { kind: string; dueAt: Date; settled?: boolean };
  inspection?: Prisma.InputJsonValue;
}

/** One order with one return, as the app stores them; its id. */
async function seed(s: Seed): Promise<string> {
  const i = ++n;
  const shop = s.shop ?? storeA.domain;
  const orderId = `gid://shopify/Order/${9000 + i}`;
  const id = `gid://shopify/Return/${9000 + i}`;
  await app.prisma.order.create({
    data: {
      id: orderId,
      shop,
      name: `#${5000 + i}`,
      email: `shopper${i}@example.com`,
      processedAt: new Date(s.requestedAt.getTime() - 10 * DAY),
      shopifyUpdatedAt: s.requestedAt,
      currency: "USD",
      subtotalCents: 10_000,
      shippingCents: 0,
      totalCents: 10_000,
      state: "delivered",
    },
  });
  await app.prisma.return.create({
    data: {
      id,
      shop,
      orderId,
      name: `#${5000 + i}-R1`,
      status: s.status,
      reason: s.reason ?? "change_of_mind",
      source: "portal",
      feeCents: 0,
      currency: "USD",
      requestedAt: s.requestedAt,
      inspection: s.inspection,
      lines: {
        create: [
          {
            id: `gid://shopify/ReturnLineItem/${9000 + i}`,
            orderLineId: "x",
            fulfillmentLineItemId: "y",
            quantity: 1,
            unitPriceCents: 10_000,
          },
        ],
      },
    },
  });
  if (s.label)
    await app.prisma.returnLabel.create({
      data: { returnId: id, shop, source: "carrier", carrier: "USPS", issuedAt: s.requestedAt, ...s.label },
    });
  if (s.deadline)
    await app.prisma.orderDeadline.create({
      data: {
        orderId,
        shop,
        key: `${s.deadline.kind}:${id}`,
        rule: "RET",
        dueAt: s.deadline.dueAt,
        projected: false,
        settled: s.deadline.settled ?? false,
      },
    });
  return id;
}

const list = (input: Parameters<typeof Queue.returnsQueue>[2], shop = storeA.domain) =>
  queue.returnsQueue(app.prisma, shop, input, settings, NOW);

describe("overdue returns first across the whole queue", () => {
  it("approved tab: 55 overdue label voids lead pages 0 and 1, then the oldest requests, every return once", async () => {
    const start = new Date(NOW.getTime() - 40 * DAY);
    const at = (k: number) => new Date(start.getTime() + k * HOUR);
    // The oldest 75 requests have labels still good; the newest 55 have labels past their void moment.
    const fine: string[] = [];
    for (let k = 0; k < 75; k++)
      fine.push(
        await seed({
          status: "approved",
          requestedAt: at(k),
          label: { status: "issued", voidsAt: new Date(NOW.getTime() + (k + 1) * HOUR) },
        }),
      );
    const late: Array<{ id: string; voidsAt: Date }> = [];
    for (let k = 0; k < 55; k++) {
      // Voids out of request order: the one that ran out first leads.
      const voidsAt = new Date(NOW.getTime() - (((k * 37) % 55) + 1) * HOUR);
      late.push({
        id: await seed({ status: "approved", requestedAt: at(100 + k), label: { status: "issued", voidsAt } }),
        voidsAt,
      });
    }
    // Another shop's overdue return never shows.
    await seed({
      shop: storeB.domain,
      status: "approved",
      requestedAt: at(1),
      label: { status: "issued", voidsAt: at(2) },
    });

    const pages = [
      await list({ tab: "approved", page: 0 }),
      await list({ tab: "approved", page: 1 }),
      await list({ tab: "approved", page: 2 }),
    ];
    const overdueOrder = [...late].sort((a, b) => +a.voidsAt - +b.voidsAt).map((l) => l.id);
    expect(pages[0]!.rows.map((r) => r.id)).toEqual(overdueOrder.slice(0, 50));
    expect(pages[1]!.rows.map((r) => r.id)).toEqual([...overdueOrder.slice(50), ...fine.slice(0, 45)]);
    expect(pages[2]!.rows.map((r) => r.id)).toEqual(fine.slice(45));
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages[0]!.rows.every((r) => r.clock?.overdue && r.clock.kind === "label_voids")).toBe(true);
    expect(pages[1]!.rows.map((r) => r.clock?.overdue)).toEqual([...Array(5).fill(true), ...Array(45).fill(false)]);
    expect(pages[0]!.counts.approved).toBe(130);
  });

  it("all tab: refunds due, late answers, late parcels and late labels first, then the newest requests; a search keeps the order", async () => {
    const base = new Date(NOW.getTime() - 30 * DAY);
    const at = (d: number) => new Date(base.getTime() + d * DAY);
    const refundDue = await seed({
      shop: C,
      status: "inspected",
      requestedAt: at(1),
      inspection: { outcome: "passed" },
    });
    await seed({ shop: C, status: "inspected", requestedAt: at(1.5), inspection: { outcome: "failed" } }); // nothing due
    const lateAnswer = await seed({
      shop: C,
      status: "requested",
      reason: "wrong_item",
      requestedAt: at(2),
      deadline: { kind: "return_answer", dueAt: at(3) },
    });
    const lateParcel = await seed({
      shop: C,
      status: "in_transit",
      requestedAt: at(3),
      deadline: { kind: "return_arrival", dueAt: at(5) },
    });
    await seed({
      shop: C,
      status: "in_transit",
      requestedAt: at(3.5),
      deadline: { kind: "return_arrival", dueAt: at(4), settled: true },
    });
    const lateLabel = await seed({
      shop: C,
      status: "approved",
      requestedAt: at(4),
      label: { status: "issued", voidsAt: at(4.5) },
    });
    // A new label after a voided one, itself past its moment.
    const lateNewLabel = await seed({
      shop: C,
      status: "label_voided",
      requestedAt: at(4.2),
      label: { status: "issued", voidsAt: at(6) },
    });
    const fresh: string[] = [];
    for (let k = 0; k < 60; k++) fresh.push(await seed({ shop: C, status: "closed", requestedAt: at(10 + k / 10) }));

    const first = await list({ tab: "all", page: 0 }, C);
    const overdue = [refundDue, lateAnswer, lateLabel, lateParcel, lateNewLabel];
    const ids = first.rows.map((r) => r.id);
    // Due now first, then by when the clock ran out (answer day 3, label day 4.5, parcel day 5, new label day 6).
    expect(ids.slice(0, 5)).toEqual(overdue);
    // Then the rest, newest request first (the "all" tab's usual order).
    expect(ids.slice(5, 10)).toEqual([...fresh].reverse().slice(0, 5));
    const second = await list({ tab: "all", page: 1 }, C);
    const everything = [
      ...ids,
      ...second.rows.map((r) => r.id),
      ...(await list({ tab: "all", page: 2 }, C)).rows.map((r) => r.id),
    ];
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything.filter((id) => overdue.includes(id))).toEqual(overdue);

    // A search keeps the overdue one of its matches first.
    const byEmail = await list(
      { tab: "all", search: `shopper${Number(lateParcel.split("/").pop()) - 9000}@example.com` },
      C,
    );
    expect(byEmail.rows.map((r) => r.id)).toEqual([lateParcel]);
    const inTransit = await list({ tab: "in_transit" }, C);
    expect(inTransit.rows[0]!.id).toBe(lateParcel);
    expect(inTransit.rows[0]!.clock).toMatchObject({ kind: "must_arrive", overdue: true });
  });

  it("overdue returns among the oldest requests are not listed twice nor make later pages skip one", async () => {
    const D = "overdue-d.myshopify.com";
    const start = new Date(NOW.getTime() - 40 * DAY);
    const at = (k: number) => new Date(start.getTime() + k * HOUR);
    const late: string[] = [];
    const fine: string[] = [];
    for (let k = 0; k < 110; k++) {
      const overdue = k % 11 === 0; // 10 of them, spread through the oldest requests
      const voidsAt = new Date(NOW.getTime() + (overdue ? -(k + 1) : k + 1) * HOUR);
      const id = await seed({ shop: D, status: "approved", requestedAt: at(k), label: { status: "issued", voidsAt } });
      (overdue ? late : fine).push(id);
    }
    const pages = await Promise.all([0, 1, 2].map((page) => list({ tab: "approved", page }, D)));
    // The one that ran out first (the newest request of them, by one hour each) leads.
    expect(pages[0]!.rows.slice(0, 10).map((r) => r.id)).toEqual([...late].reverse());
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual([...[...late].reverse(), ...fine]);
    expect(pages.map((p) => [p.rows.length, p.hasMore])).toEqual([
      [50, true],
      [50, true],
      [10, false],
    ]);
  });
});
