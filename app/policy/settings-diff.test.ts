import { describe, expect, it } from "vitest";
import type { OrderFacts } from "./deadlines";
import { presetSettings } from "./settings";
import {
  deadlineImpact,
  describeShift,
  matchingPreset,
  ruleChanges,
  settingChanges,
  type OrderForDiff,
} from "./settings-diff";

const facts = (over: Partial<OrderFacts>): OrderFacts => ({
  placedAt: new Date("2026-11-02T15:00:00Z"),
  cancelledAt: null,
  shippedAt: null,
  deliveredAt: null,
  awaitingPaymentOnDelivery: false,
  returnLabelIssuedAt: null,
  wrongItemReportedAt: null,
  refundedAt: null,
  ...over,
});

describe("settings diff", () => {
  const allu = presetSettings("allu");
  const alley = presetSettings("alleyAccessory");

  it("names each changed field with its rule and both values, and the rules whose meaning changes", () => {
    const changes = settingChanges(allu, alley);
    expect(changes).toContainEqual({
      path: "returns.windowDays",
      rule: "RET-1",
      label: "Return window",
      before: "14",
      after: "30",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ path: "shipping.allowedCountries", before: "US", after: "every country" }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ path: "shipping.freeShippingThreshold", before: "$500.00", after: "$0.00" }),
    );
    expect(settingChanges(allu, presetSettings("allu"))).toEqual([]);
    const rules = ruleChanges(allu, alley).map((r) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(["SHP-1", "SHP-3", "CAN-1", "RET-1", "RET-12"]));
    expect(rules).not.toContain("INV-1");
  });

  it("knows a preset by its values, and anything else is custom", () => {
    expect(matchingPreset(presetSettings("alleyAccessory"))).toBe("alleyAccessory");
    const custom = presetSettings("allu");
    custom.returns.windowDays = 15;
    expect(matchingPreset(custom)).toBe("custom");
  });

  it("counts the open orders whose pending deadlines move, and by how much", () => {
    const orders: OrderForDiff[] = [
      // Delivered Wed 4 Nov: RET-1 moves from 14 to 30 days, RET-12 disappears.
      {
        id: "o1",
        name: "#1001",
        facts: facts({
          shippedAt: new Date("2026-11-03T15:00:00Z"),
          deliveredAt: new Date("2026-11-04T15:00:00Z"),
        }),
      },
      // Not yet shipped: only the cancellation window moves (2 → 24 hours), already past but not settled.
      { id: "o2", name: "#1002", facts: facts({}) },
      // Cancelled: not open.
      { id: "o3", name: "#1003", facts: facts({ cancelledAt: new Date("2026-11-02T16:00:00Z") }) },
    ];
    const impact = deadlineImpact(orders, allu, alley);
    expect(impact).toMatchObject({ orders: 2, ordersAffected: 2 });
    const delivered = impact.sample.find((o) => o.orderId === "o1")!;
    const returnBy = delivered.shifts.find((s) => s.key === "return_request_by")!;
    expect(returnBy.byMs).toBe(16 * 86_400_000);
    expect(describeShift({ from: returnBy.from!, to: returnBy.to! }, "America/New_York")).toBe("16 days later");
    expect(delivered.shifts.find((s) => s.key === "return_package_arrives_by")).toMatchObject({
      rule: "RET-12",
      to: null,
      byMs: null,
    });
    const pending = impact.sample.find((o) => o.orderId === "o2")!;
    expect(pending.shifts.map((s) => [s.key, s.byMs])).toEqual([["cancellation_window_ends", 22 * 3_600_000]]);
    expect(impact.deadlinesMoved).toBe(delivered.shifts.length + 1);
    expect(deadlineImpact(orders, allu, presetSettings("allu")).ordersAffected).toBe(0);
    expect(deadlineImpact(orders, allu, alley, 1).sample).toHaveLength(1);
  });

  it("says a move across a daylight-saving change in store days", () => {
    // 31 Oct and 5 Nov 2026, end of day Eastern: EDT then EST, 5 days and 1 hour apart in UTC.
    const from = new Date("2026-11-01T03:59:59.999Z");
    const to = new Date("2026-11-06T04:59:59.999Z");
    expect(describeShift({ from, to }, "America/New_York")).toBe("5 days later");
    expect(describeShift({ from: to, to: from }, "America/New_York")).toBe("5 days earlier");
    const placed = new Date("2026-11-02T15:00:00Z");
    expect(describeShift({ from: placed, to: new Date(placed.getTime() + 22 * 3_600_000) }, "UTC")).toBe(
      "22 hours later",
    );
    expect(describeShift({ from: placed, to: new Date(placed.getTime() - 45 * 60_000) }, "UTC")).toBe(
      "45 minutes earlier",
    );
  });
});
