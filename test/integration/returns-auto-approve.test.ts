import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import type { Node } from "../emulator/store";
import { customer, portalWorld, storyOrder, T, type PortalWorld } from "./returns-portal-world";

// returns.autoApprove: an eligible change-of-mind return is approved in Shopify as it is requested.
let w: PortalWorld;
let ann: Node;
const delivered = {
  placedAt: T("2026-11-02T15:00:00Z"),
  shippedAt: T("2026-11-03T15:00:00Z"),
  deliveredAt: T("2026-11-06T19:00:00Z"),
};
const now = T("2026-11-10T15:00:00Z");

beforeAll(async () => {
  const settings = presetSettings();
  settings.returns.autoApprove = true;
  w = await portalWorld(settings);
  ann = customer(w.store, "Ann");
});
afterAll(() => w.app.close());

const request = (order: Node, reason: "change_of_mind" | "damaged", key: string) => {
  w.store.setClock(now);
  return w.services.requestReturn(
    w.store.domain,
    ann.id,
    {
      orderId: order.id,
      requestKey: key,
      reason,
      lines: [{ lineId: order.lineItems[0].id as string, quantity: 1 }],
      photos: [],
    },
    now,
    w.deps,
  );
};

describe("approving returns automatically (returns.autoApprove)", () => {
  it("approves an eligible change-of-mind request in Shopify once, and leaves a final-sale line to the policy", async () => {
    const scarf = storyOrder(w.store, { customer: ann, items: [{ title: "Scarf", priceCents: 30_000 }], ...delivered });
    await w.sync();
    await request(scarf, "change_of_mind", "auto-1");
    const [ret] = scarf.returns as Node[];
    expect(ret!.status).toBe("OPEN");
    const stored = await w.app.prisma.return.findUniqueOrThrow({ where: { id: ret!.id } });
    expect(stored.status).toBe("approved");

    // The same request again changes nothing in Shopify.
    await request(scarf, "change_of_mind", "auto-1");
    expect((scarf.returns as Node[]).map((r) => r.status)).toEqual(["OPEN"]);
  });
});
