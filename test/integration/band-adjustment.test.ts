import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { fulfill, placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, variantOf } from "../emulator/builders";
import { startAppHarness } from "../support/app-harness";
import { ORDER_SNAPSHOT_QUERY } from "../../app/services/orders/order-documents";
import { snapshotFromAdmin } from "../../app/services/orders/order-snapshot.server";
import type * as Home from "../../app/services/shops/home.server";

const store = createStore();
let app: Awaited<ReturnType<typeof startAppHarness>>;
let home: typeof Home;
beforeAll(async () => {
  app = await startAppHarness(store);
  home = await import("../../app/services/shops/home.server");
});
afterAll(() => app.close());

const attention = () => home.loadAttention(app.prisma, store.domain, presetSettings("allu"), new Date());

describe("watch band adjustment: the wrist size given at checkout reaches staff", () => {
  it("lists a watch to adjust until it ships, from the line attribute the checkout extension saves", async () => {
    const watch = oneOfAKind(store, { title: "Vintage chronograph", priceCents: 120_000, kind: "Watch" });
    const bag = oneOfAKind(store, { title: "Tote", priceCents: 40_000 });
    const order = placeOrder(store, {
      lines: [
        { variant: variantOf(watch), attributes: [{ key: "Wrist size", value: "16.5 cm (6.5 in)" }] },
        { variant: variantOf(bag) },
      ],
      placedAt: new Date("2026-11-16T15:00:00Z"),
    });
    await app.emulator.webhooks.idle();
    await app.drain();
    expect((await attention()).bandAdjustments).toEqual([
      expect.objectContaining({ order: order.name, item: "Vintage chronograph", wristSize: "16.5 cm (6.5 in)" }),
    ]);

    fulfill(store, order, { at: new Date("2026-11-17T15:00:00Z") });
    await app.emulator.webhooks.idle();
    await app.drain();
    expect((await attention()).bandAdjustments).toEqual([]);
  });

  it("reads the wrist size from the Admin API too (orders fetched before their webhook, reconciliation)", async () => {
    const watch = oneOfAKind(store, { title: "Dress watch", priceCents: 90_000, kind: "Watch" });
    const order = placeOrder(store, {
      lines: [{ variant: variantOf(watch), attributes: [{ key: "Wrist size", value: "17 cm" }] }],
    });
    const result = await app.emulator.graphql(ORDER_SNAPSHOT_QUERY, { id: order.id });
    expect(result.errors).toBeUndefined();
    expect(snapshotFromAdmin(result.data.order).lines.map((l) => l.wristSize)).toEqual(["17 cm"]);
  });
});
