import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { createStore, oneOfAKind, orderAt, shopper, type Stage } from "../emulator/builders";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

/**
 * A return's webhooks (returns/request, returns/approve, reverse_deliveries/attach_deliverable,
 * returns/process, returns/close, orders/updated, fulfillment events…) delivered in any order and
 * more than once end with the same Return row, timeline and deadlines as delivered once in order:
 * what is recorded follows Shopify's timestamps, never arrival order.
 */

type Harness = Awaited<ReturnType<typeof startAppHarness>>;
type Held = ReturnType<Harness["emulator"]["webhooks"]["takeHeld"]>;

let app: Harness;
const store = createStore();
const buyer = shopper(store, { firstName: "Ona", lastName: "Shopper", email: "ona@example.com" });
let made = 0;

beforeAll(async () => {
  app = await startAppHarness(store);
  await app.prisma.shop.create({ data: { domain: store.domain, settings: presetSettings() as object } });
  app.emulator.webhooks.hold();
});
afterAll(() => app.close());

function rng(seed: number) {
  return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
}

/** One order's life in the emulator, the same times each time; its webhooks as Shopify would send them. */
function lifecycle(stage: Stage): { order: Node; held: Held } {
  const item = oneOfAKind(store, { title: `Watch strap ${++made}`, priceCents: 42_000 });
  const order = orderAt(store, {
    customer: buyer,
    items: [item],
    stage,
    payment: "card",
    placedAt: new Date("2026-11-02T15:00:00Z"),
    shippedAfterHours: 20,
  });
  return { order, held: app.emulator.webhooks.takeHeld() };
}

/** Deliver, then process until nothing is left, an event put off (waiting for another) tried again at once. */
async function deliverAll(deliveries: Held, now: Date, final = true) {
  for (const d of deliveries) {
    const response = await fetch(d.uri, { method: "POST", headers: d.headers, body: d.body });
    expect(response.status).toBe(200);
  }
  for (let round = 0; round < 10; round++) {
    await app.drain(now);
    const waiting = await app.prisma.webhookEvent.findMany({ where: { status: "pending" }, select: { id: true } });
    if (!waiting.length) break;
    await app.prisma.webhookEvent.updateMany({
      where: { id: { in: waiting.map((w) => w.id) } },
      data: { nextAttemptAt: new Date(0) },
    });
  }
  const left = await app.prisma.webhookEvent.findMany({
    where: { status: { not: "done" } },
    select: { topic: true, status: true, attempts: true, lastError: true },
  });
  // Only an event waiting for one not delivered yet is left, and only until that one comes.
  expect(
    left.filter((e) => e.status !== "pending" || !final),
    "events not applied",
  ).toEqual([]);
  // Waiting for an earlier event is delivery order, not the event's fault: no attempt is used up.
  const charged = await app.prisma.webhookEvent.findMany({
    where: { attempts: { gt: 1 } },
    select: { topic: true, attempts: true, lastError: true },
  });
  expect(charged, "attempts used up waiting for another event").toEqual([]);
}

/** A delivery's header, whatever its case. */
const header = (d: Held[number], name: string) =>
  Object.entries(d.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? "";
const topicOf = (d: Held[number]) => header(d, "x-shopify-topic");

/** Ids differ from one lifecycle to the next; what each names (Return, Fulfillment…) does not. */
const kindOf = (text: string) => text.replace(/gid:\/\/shopify\/(\w+)\/\d+/g, "$1");

async function recorded(order: Node) {
  const stored = await app.prisma.order.findUniqueOrThrow({
    where: { id: order.id },
    include: {
      events: { orderBy: [{ occurredAt: "asc" }, { kind: "asc" }, { ref: "asc" }] },
      deadlines: { orderBy: { key: "asc" } },
      returns: { include: { lines: true } },
    },
  });
  return {
    state: stored.state,
    events: stored.events.map((e) => `${e.kind}|${kindOf(e.ref)}|${e.occurredAt.toISOString()}`),
    deadlines: stored.deadlines.map((d) => `${kindOf(d.key)}|${d.rule}|${d.dueAt.toISOString()}|${d.settled}`),
    returns: stored.returns.map((r) => ({
      status: r.status,
      reason: r.reason,
      feeCents: r.feeCents,
      requestedAt: r.requestedAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      lines: r.lines.map((l) => ({ quantity: l.quantity, unitPriceCents: l.unitPriceCents })),
    })),
  };
}

const NOW = new Date("2026-11-20T12:00:00Z");

describe.each<Stage>(["return_approved", "refunded"])("a return's webhooks out of order (%s)", (stage) => {
  it("end as in order: same Return, timeline and deadlines, whatever the order and the duplicates", async () => {
    const clean = lifecycle(stage);
    const topics = clean.held.map(topicOf);
    expect(topics).toEqual(expect.arrayContaining(["returns/request", "returns/approve"]));
    expect(topics).toContain("reverse_deliveries/attach_deliverable");
    if (stage === "refunded") expect(topics).toEqual(expect.arrayContaining(["returns/process", "returns/close"]));
    await deliverAll(clean.held, NOW);
    const expected = await recorded(clean.order);
    expect(expected.events.some((e) => e.startsWith("return_approved|Return|"))).toBe(true);
    expect(expected.deadlines.some((d) => d.startsWith("return_arrival:Return|RET-12|"))).toBe(true);
    if (stage === "refunded") expect(expected.events.some((e) => e.startsWith("return_received|Return|"))).toBe(true);

    const random = rng(stage === "refunded" ? 20261202 : 20261201);
    for (let run = 0; run < 6; run++) {
      const { order, held } = lifecycle(stage);
      // Each delivery one to three times, then shuffled; the first run in reverse (the return before its order).
      const deliveries = held.flatMap((d) => Array.from({ length: 1 + Math.floor(random() * 3) }, () => d));
      if (run === 0) deliveries.reverse();
      else
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }
      await deliverAll(deliveries, NOW);
      expect(await recorded(order), `run ${run}: ${deliveries.map(topicOf).join(", ")}`).toEqual(expected);
    }
  }, 120_000);
});

describe("a late returns/approve", () => {
  it("leaves a received return received", async () => {
    const { order, held } = lifecycle("return_approved");
    await deliverAll(held, NOW);
    const ret = await app.prisma.return.findFirstOrThrow({ where: { orderId: order.id } });
    await app.prisma.return.update({ where: { id: ret.id }, data: { status: "received" } });
    const approve = held.find((d) => topicOf(d) === "returns/approve")!;
    const webhookId = Object.keys(approve.headers).find((key) => key.toLowerCase() === "x-shopify-webhook-id")!;
    const response = await fetch(approve.uri, {
      method: "POST",
      headers: { ...approve.headers, [webhookId]: `${header(approve, "x-shopify-webhook-id")}-late` },
      body: approve.body,
    });
    expect(response.status).toBe(200);
    await deliverAll([], NOW);
    expect((await app.prisma.return.findUniqueOrThrow({ where: { id: ret.id } })).status).toBe("received");
  });
});
