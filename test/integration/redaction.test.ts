import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productUpdated } from "../emulator/actions/catalog";
import { placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, orderAt, shopper, variantOf } from "../emulator/builders";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore({ domain: "shop-a.myshopify.com" });
const other = createStore({ domain: "shop-b.myshopify.com", name: "Shop B" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
beforeAll(async () => {
  app = await startAppHarness(store, { otherStores: [other] });
});
afterAll(() => app.close());

const T = (iso: string) => new Date(iso);
/** Far ahead of any test run: an event waiting out a retry. */
const LATER = T("2100-01-01T00:00:00Z");

const idle = async () => {
  for (const s of [store, other]) await app.emulatorOf(s.domain).webhooks.idle();
};
const item = (s: typeof store, title: string) => oneOfAKind(s, { title, priceCents: 30_000 });
/** Stored webhooks whose body holds the email as a JSON string, apart from the redaction request. */
const mentioning = async (email: string) =>
  (
    await app.prisma.webhookEvent.findMany({ where: { topic: { not: "customers/redact" } }, orderBy: { id: "asc" } })
  ).filter((row) => row.body.includes(JSON.stringify(email)));
/** The email on its own: not the end of a longer address ("red_ok@…" ends in "d_ok@…"). */
const whole = (email: string) =>
  new RegExp(`(?<![A-Za-z0-9._%+-])${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "g");
/** How often the email occurs in the database file and its write-ahead log, free pages included. */
const inDatabaseFiles = (email: string) =>
  [app.databaseFile, `${app.databaseFile}-wal`]
    .filter((file) => existsSync(file))
    .reduce((count, file) => count + (readFileSync(file).toString("latin1").match(whole(email))?.length ?? 0), 0);

describe("customers/redact", () => {
  let redacted: Node;
  let lookalikes: Node[];
  const REDACTED = "d_ok@example.com";
  // A substring of one, and a match of "_" as a LIKE wildcard for the other.
  const LOOKALIKES = ["red_ok@example.com", "dxok@example.com"];

  it("waits for the customer's unprocessed events, and touches no other customer's data, pending or not", async () => {
    redacted = shopper(store, { firstName: "Dee", lastName: "Ok", email: REDACTED });
    lookalikes = LOOKALIKES.map((email, i) => shopper(store, { firstName: `Look${i}`, lastName: "Alike", email }));
    for (const customer of [redacted, ...lookalikes]) {
      orderAt(store, {
        customer,
        items: [item(store, `Bag for ${customer.firstName}`)],
        stage: "delivered",
        placedAt: T("2026-11-02T15:00:00Z"),
      });
    }
    await idle();
    await app.drain();
    app.emulator.compliance.customerDataRequest(redacted);
    await idle();
    await app.drain();
    // Each has a new order whose events wait out a retry: unprocessed when the redaction arrives.
    for (const customer of [redacted, ...lookalikes])
      placeOrder(store, { customer, lines: [{ variant: variantOf(item(store, `Ring for ${customer.firstName}`)) }] });
    await idle();
    await app.prisma.webhookEvent.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: LATER } });
    const othersBefore = await Promise.all(LOOKALIKES.map(mentioning));
    expect(othersBefore.every((rows) => rows.some((r) => r.status === "pending"))).toBe(true);
    const redactedBefore = await mentioning(REDACTED);

    app.emulator.compliance.customerRedact(redacted);
    await idle();
    await app.drain();
    // The redaction waits: the customer's events received before it have not been processed yet.
    const request = await app.prisma.webhookEvent.findFirstOrThrow({ where: { topic: "customers/redact" } });
    expect(request).toMatchObject({ status: "pending", attempts: 0 });
    expect(request.lastError).toMatch(/waiting for \d+ earlier event\(s\) of this customer/);
    expect(await mentioning(REDACTED)).toEqual(redactedBefore);
    expect(await Promise.all(LOOKALIKES.map(mentioning))).toEqual(othersBefore);

    // Once those are processed, the redaction is applied, and only to this customer.
    await app.prisma.webhookEvent.updateMany({ where: { status: "pending" }, data: { nextAttemptAt: new Date(0) } });
    await app.drain();
    expect(await app.prisma.webhookEvent.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "done",
      body: '{"redacted":true}',
    });
    expect(await mentioning(REDACTED)).toEqual([]);
    expect(await app.prisma.order.count({ where: { email: REDACTED } })).toBe(0);
    expect(await app.prisma.order.count({ where: { customerId: redacted.id } })).toBe(0);
    expect(await app.prisma.dataExport.count()).toBe(0);
    for (const [i, email] of LOOKALIKES.entries()) {
      const rows = await mentioning(email);
      expect(rows.map((r) => r.id).sort()).toEqual(othersBefore[i]!.map((r) => r.id).sort());
      expect(rows.every((r) => r.status === "done")).toBe(true);
      expect(await app.prisma.order.count({ where: { email } })).toBe(2);
    }
  });

  it("leaves nothing of the customer in the database files, free pages and write-ahead log included", async () => {
    expect(inDatabaseFiles(REDACTED)).toBe(0);
    for (const email of LOOKALIKES) expect(inDatabaseFiles(email)).toBeGreaterThan(0);
  });
});

describe("shop/redact", () => {
  it("completes in the batch that also holds other events of the shop and another shop's", async () => {
    const scarf = item(store, "A scarf");
    orderAt(other, {
      customer: shopper(other, { firstName: "Bea", lastName: "B", email: "bea@example.com" }),
      items: [item(other, "B bag")],
      stage: "delivered",
      placedAt: T("2026-11-02T15:00:00Z"),
    });
    await idle();
    await app.drain();
    // Received in this order, none processed yet: the shop's last product change, the other shop's
    // new order, the shop's uninstall and (48 hours later) its redaction.
    productUpdated(store, scarf);
    await idle();
    placeOrder(other, { lines: [{ variant: variantOf(item(other, "B watch")) }] });
    await idle();
    app.emulator.uninstall();
    await idle();
    app.emulator.compliance.shopRedact();
    await idle();
    const pending = await app.prisma.webhookEvent.count({ where: { status: "pending" } });
    expect(pending).toBeGreaterThan(4);

    // One batch holds them all.
    const claimed = await app.processor.processBatch({
      db: app.prisma,
      workerId: "one-batch",
      gateway: app.gateway,
      batchSize: 50,
    });
    expect(claimed).toBe(pending);
    expect(await app.prisma.webhookEvent.count({ where: { status: { not: "done" } } })).toBe(0);
    const p = app.prisma;
    const shop = store.domain;
    expect([
      await p.order.count({ where: { shop } }),
      await p.variantInventory.count({ where: { shop } }),
      await p.dataExport.count({ where: { shop } }),
    ]).toEqual([0, 0, 0]);
    expect((await p.webhookEvent.findMany({ where: { shop } })).map((e) => [e.topic, e.body])).toEqual([
      ["shop/redact", '{"redacted":true}'],
    ]);
    // The other shop's events of the batch were applied.
    expect(await p.order.count({ where: { shop: other.domain } })).toBe(2);
    expect(inDatabaseFiles("red_ok@example.com")).toBe(0);
    expect(inDatabaseFiles("bea@example.com")).toBeGreaterThan(0);
  });
});
