import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(store);
});
afterAll(() => app.close());

const EMAIL = "sofia.rossi@example.com";

/** Every text column of every table, to search for personal data. */
async function everything(): Promise<string> {
  const p = app.prisma;
  const rows = await Promise.all([
    p.order.findMany(),
    p.orderLine.findMany(),
    p.orderEvent.findMany(),
    p.orderDeadline.findMany(),
    p.orderAlert.findMany(),
    p.webhookEvent.findMany(),
    p.dataExport.findMany(),
    p.variantInventory.findMany(),
    p.return.findMany({ include: { lines: true, labels: true, photos: true } }),
    p.warrantyClaim.findMany(),
  ]);
  return JSON.stringify(rows);
}

describe("compliance webhooks", () => {
  it("customers/data_request exports everything held on the customer; customers/redact leaves nothing personal", async () => {
    const sofia = shopper(store, { firstName: "Sofia", lastName: "Rossi", email: EMAIL });
    const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
    const [a, b, c] = ["Ring", "Scarf", "Bag"].map((title) => oneOfAKind(store, { title, priceCents: 40_000 }));
    const first = orderAt(store, {
      customer: sofia,
      items: [a!],
      stage: "delivered",
      placedAt: new Date("2026-11-02T15:00:00Z"),
    });
    const second = orderAt(store, {
      customer: sofia,
      items: [b!],
      stage: "paid",
      placedAt: new Date("2026-11-05T15:00:00Z"),
    });
    const other = orderAt(store, {
      customer: maya,
      items: [c!],
      stage: "paid",
      placedAt: new Date("2026-11-05T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    expect(await everything()).toContain(EMAIL);
    // What she asked of the store about the delivered order: a return and a warranty claim.
    await app.prisma.return.create({
      data: {
        id: "gid://shopify/Return/7701",
        shop: store.domain,
        orderId: first.id,
        status: "requested",
        reason: "change_of_mind",
        source: "portal",
        feeCents: 2_000,
        currency: "USD",
        requestedAt: new Date("2026-11-06T15:00:00Z"),
        customerNote: "Sofia's note: the ring is too small",
      },
    });
    await app.prisma.warrantyClaim.create({
      data: {
        shop: store.domain,
        orderId: first.id,
        orderLineId: "gid://shopify/LineItem/1",
        customerId: sofia.id,
        claimKey: "privacy-claim",
        filedAt: new Date("2026-11-06T16:00:00Z"),
        defect: "manufacturing_defect",
        note: "Sofia's claim: the clasp broke",
        status: "open",
        covered: true,
        rule: "WAR-1",
        code: "COVERED",
        sentence: "Covered.",
        photos: [],
      },
    });

    app.emulator.compliance.customerDataRequest(sofia);
    await app.emulator.webhooks.idle();
    await app.drain();
    const [exported] = await app.prisma.dataExport.findMany({ where: { email: EMAIL } });
    const data = exported!.data as {
      orders: Array<{
        id: string;
        events: unknown[];
        returns: Array<{ customerNote: string }>;
        warrantyClaims: Array<{ note: string }>;
      }>;
    };
    expect(data.orders.map((o) => o.id).sort()).toEqual([first.id, second.id].sort());
    const delivered = data.orders.find((o) => o.id === first.id)!;
    expect(delivered.events.length).toBe(5);
    expect(delivered.returns.map((r) => r.customerNote)).toEqual(["Sofia's note: the ring is too small"]);
    expect(delivered.warrantyClaims.map((c) => c.note)).toEqual(["Sofia's claim: the clasp broke"]);

    app.emulator.compliance.customerRedact(sofia);
    await app.emulator.webhooks.idle();
    await app.drain();
    const after = await everything();
    expect(after).not.toContain(EMAIL);
    expect(after).not.toContain("Sofia's");
    expect(after).not.toContain(first.id);
    expect(after).not.toContain(second.id);
    expect(after).not.toContain(`"order_id":${first.id.split("/").pop()}`);
    expect(await app.prisma.order.findUnique({ where: { id: other.id } })).not.toBeNull();
  });

  it("shop/redact deletes everything the app holds for the shop", async () => {
    const at = new Date("2026-11-20T15:00:00Z");
    await app.prisma.shopifyAction.create({
      data: { shop: store.domain, key: "cancel:gid://shopify/Order/1", status: "done", startedAt: at },
    });
    await app.prisma.settingsChange.create({
      data: {
        shop: store.domain,
        revision: 1,
        preset: "allu",
        staffName: "Ana Staff",
        before: {},
        after: {},
        changedAt: at,
      },
    });
    app.emulator.compliance.shopRedact();
    await app.emulator.webhooks.idle();
    await app.drain();
    const p = app.prisma;
    const counts = await Promise.all([
      p.order.count(),
      p.orderEvent.count(),
      p.orderDeadline.count(),
      p.variantInventory.count(),
      p.dataExport.count(),
      p.session.count(),
      p.shop.count(),
      p.shopifyAction.count(),
      p.settingsChange.count(),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const inbox = await p.webhookEvent.findMany();
    expect(inbox.map((e) => e.body)).toEqual(['{"redacted":true}']);
  });
});
