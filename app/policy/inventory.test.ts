import { describe, expect, it } from "vitest";
import {
  cartQuantityViolations,
  conditionRankNotice,
  isOneOfAKind,
  oversoldLines,
  variantInventoryFindings,
} from "./inventory";
import { checkoutRules } from "./checkout-rules";
import { checkoutNotices, NO_NEGOTIATION_NOTICE } from "./notices";
import { presetSettings } from "./settings";

const settings = presetSettings("allu");
const { inventory } = settings;
const line = (lineId: string, variantId: string, quantity: number, oneOfAKind = true) => ({
  lineId,
  variantId,
  quantity,
  oneOfAKind,
});

describe("INV-1 one unit per one-of-a-kind variant", () => {
  it("allows one unit each of different variants", () => {
    expect(cartQuantityViolations([line("a", "v1", 1), line("b", "v2", 1)], inventory)).toEqual([]);
  });

  it("blocks a line with quantity 2, targeted at that line", () => {
    const [violation] = cartQuantityViolations([line("a", "v1", 1), line("b", "v2", 2)], inventory);
    expect(violation).toMatchObject({
      lineId: "b",
      decision: { allowed: false, rule: "INV-1", code: "QUANTITY_ABOVE_ONE_OF_A_KIND" },
    });
  });

  it("blocks the same variant on two lines, at the second line", () => {
    const violations = cartQuantityViolations([line("a", "v1", 1), line("b", "v1", 1)], inventory);
    expect(violations).toEqual([
      { lineId: "b", decision: expect.objectContaining({ code: "DUPLICATE_ONE_OF_A_KIND_LINE" }) },
    ]);
  });

  it("ignores products that are not one of a kind when the scope is a tag", () => {
    const tagged = { ...inventory, oneOfAKind: { scope: "tagged" as const, tag: "one-of-a-kind" } };
    expect(isOneOfAKind(["One-Of-A-Kind"], tagged)).toBe(true);
    expect(isOneOfAKind(["basics"], tagged)).toBe(false);
    expect(isOneOfAKind([], inventory)).toBe(true);
    expect(cartQuantityViolations([line("a", "v1", 3, false)], tagged)).toEqual([]);
  });
});

describe("INV-2 sold out means sold: tracked, DENY, at most one available", () => {
  it("reports each problem of a variant", () => {
    const findings = variantInventoryFindings(
      { variantId: "v", tracked: false, inventoryPolicy: "CONTINUE", available: 3 },
      inventory,
    );
    expect(findings.map((f) => f.code)).toEqual(["NOT_TRACKED", "OVERSELLING_ALLOWED", "TOO_MANY_AVAILABLE"]);
    expect(findings.every((f) => f.rule === "INV-2")).toBe(true);
  });

  it("accepts a tracked DENY variant with 1 or 0 available", () => {
    expect(
      variantInventoryFindings({ variantId: "v", tracked: true, inventoryPolicy: "DENY", available: 1 }, inventory),
    ).toEqual([]);
    expect(
      variantInventoryFindings({ variantId: "v", tracked: true, inventoryPolicy: "DENY", available: 0 }, inventory),
    ).toEqual([]);
  });
});

describe("INV-3 no reservations; oversells flagged", () => {
  it("flags a line whose variant was already sold elsewhere", () => {
    const flagged = oversoldLines([line("a", "v1", 1), line("b", "v2", 1)], new Set(["v2"]));
    expect(flagged).toEqual([{ lineId: "b", decision: expect.objectContaining({ rule: "INV-3", code: "OVERSOLD" }) }]);
  });

  it("explains at checkout that the cart reserves nothing (INV-3) and prices are fixed (PRC-1)", () => {
    const { cart } = checkoutNotices(checkoutRules(settings));
    expect(cart.map((n) => n.rule)).toEqual(["INV-3", "PRC-1"]);
    expect(cart[0]?.message).toMatch(/first completed checkout/);
  });
});

describe("INV-4 condition rank shown", () => {
  it("describes known ranks and shows unknown ones as given", () => {
    expect(conditionRankNotice("ab")).toEqual({
      rule: "INV-4",
      key: "conditionRank.AB",
      message: "Condition rank AB: Very good, some signs of use",
    });
    expect(conditionRankNotice("Q")).toMatchObject({ key: "conditionRank.other", params: { rank: "Q" } });
    expect(conditionRankNotice("Q")?.message).toBe("Condition rank Q");
    expect(conditionRankNotice("  ")).toBeUndefined();
    expect(conditionRankNotice(null)).toBeUndefined();
  });
});

describe("PRC-1 no negotiation, no multi-item discount", () => {
  it("is stated to the shopper", () => {
    expect(NO_NEGOTIATION_NOTICE.rule).toBe("PRC-1");
    expect(NO_NEGOTIATION_NOTICE.message).toMatch(/no multi-item discounts/);
  });
});
