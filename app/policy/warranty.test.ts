import { describe, expect, it } from "vitest";
import { presetSettings } from "./settings";
import { discountAtLeast, warrantyDecision, type WarrantyClaimFacts } from "./warranty";
import { at, usd } from "../../test/support/policy-builders";

const settings = presetSettings("alluressories");
const claim = (overrides: Partial<WarrantyClaimFacts> = {}): WarrantyClaimFacts => ({
  purchasedAt: at("2026-11-20T12:00:00-05:00"),
  claimedAt: at("2027-02-20T23:59:59-05:00"),
  productTags: ["ring"],
  unitPrice: usd(10_000),
  compareAtPrice: null,
  issue: "manufacturing_defect",
  ...overrides,
});

describe("WAR-1 three months from purchase", () => {
  it("covers a defect until the end of the same day three months later", () => {
    const decision = warrantyDecision(claim(), settings);
    expect(decision).toMatchObject({ covered: true, decision: { rule: "WAR-1", code: "COVERED" }, remedy: null });
    expect(decision.coverageEndsAt?.toISOString()).toBe("2027-02-21T04:59:59.999Z");
    expect(warrantyDecision(claim({ claimedAt: at("2027-02-21T00:00:00-05:00") }), settings).decision.code).toBe(
      "WARRANTY_EXPIRED",
    );
  });

  it("a store without a warranty (the ALLU preset) covers nothing", () => {
    expect(warrantyDecision(claim(), presetSettings("allu")).decision.code).toBe("NO_WARRANTY");
  });
});

describe("WAR-2 two years for 18K gold and diamond", () => {
  it("a diamond piece is covered 20 months later", () => {
    const decision = warrantyDecision(
      claim({ productTags: ["Diamond"], claimedAt: at("2028-07-01T12:00:00-04:00") }),
      settings,
    );
    expect(decision).toMatchObject({ covered: true, decision: { rule: "WAR-2" } });
    expect(decision.coverageEndsAt?.toISOString()).toBe("2028-11-21T04:59:59.999Z");
  });
});

describe("WAR-3 final sale at 40 % off or more", () => {
  it("40 % off is not covered; 39.99 % off is", () => {
    expect(discountAtLeast(usd(6_000), usd(10_000), 40)).toBe(true);
    expect(discountAtLeast(usd(6_001), usd(10_000), 40)).toBe(false);
    expect(
      warrantyDecision(claim({ unitPrice: usd(6_000), compareAtPrice: usd(10_000) }), settings).decision,
    ).toMatchObject({ rule: "WAR-3", code: "FINAL_SALE" });
    expect(warrantyDecision(claim({ unitPrice: usd(6_001), compareAtPrice: usd(10_000) }), settings).covered).toBe(
      true,
    );
  });
});

describe("WAR-4 manufacturing defects only, WAR-5 paid repair otherwise", () => {
  it("wear and tear, tarnishing and lost gemstones are not covered and get a paid-repair offer", () => {
    for (const issue of ["wear_and_tear", "misuse", "tarnishing", "lost_gemstone"] as const) {
      const decision = warrantyDecision(claim({ issue }), settings);
      expect(decision).toMatchObject({
        covered: false,
        decision: { rule: "WAR-4" },
        remedy: { rule: "WAR-5", code: "PAID_REPAIR" },
      });
    }
  });

  it("an expired warranty also offers the paid repair", () => {
    expect(warrantyDecision(claim({ claimedAt: at("2027-06-01T12:00:00-04:00") }), settings).remedy?.rule).toBe(
      "WAR-5",
    );
  });
});
