import { describe, expect, it } from "vitest";
import { presetSettings } from "./settings";
import { orderState, orderTimeline } from "./timeline";
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

describe("the warranty page's own cases (Alluressories)", () => {
  const purchasedAt = at("2026-01-15T12:00:00-05:00");
  const monthsLater = (months: number) =>
    at(`${2026 + Math.floor(months / 12)}-${String(1 + (months % 12)).padStart(2, "0")}-15T12:00:00-05:00`);

  it("18K gold (tagged as merchants write it) is covered at 23 months and out of warranty at 25, with a paid repair", () => {
    for (const tag of ["18k-gold", "18K Gold", "18k_gold"]) {
      const at23 = warrantyDecision(claim({ purchasedAt, productTags: [tag], claimedAt: monthsLater(23) }), settings);
      expect(at23, tag).toMatchObject({ covered: true, decision: { rule: "WAR-2", code: "COVERED" } });
      const at25 = warrantyDecision(claim({ purchasedAt, productTags: [tag], claimedAt: monthsLater(25) }), settings);
      expect(at25, tag).toMatchObject({
        covered: false,
        decision: { rule: "WAR-2", code: "WARRANTY_EXPIRED" },
        remedy: { rule: "WAR-5", code: "PAID_REPAIR" },
      });
    }
    // Without the tag the same piece had 3 months only.
    expect(warrantyDecision(claim({ purchasedAt, claimedAt: monthsLater(23) }), settings).decision).toMatchObject({
      rule: "WAR-1",
      code: "WARRANTY_EXPIRED",
    });
  });

  it("40 % off is final sale and not covered; 39 % off is covered", () => {
    const at40 = warrantyDecision(claim({ unitPrice: usd(60_000), compareAtPrice: usd(100_000) }), settings);
    expect(at40).toMatchObject({ covered: false, decision: { rule: "WAR-3" }, remedy: { rule: "WAR-5" } });
    const at39 = warrantyDecision(claim({ unitPrice: usd(61_000), compareAtPrice: usd(100_000) }), settings);
    expect(at39).toMatchObject({ covered: true, decision: { rule: "WAR-1", code: "COVERED" } });
  });

  it("tarnishing within the window is not covered (WAR-4) and offers the paid repair", () => {
    const decision = warrantyDecision(claim({ purchasedAt, claimedAt: monthsLater(1), issue: "tarnishing" }), settings);
    expect(decision).toMatchObject({
      covered: false,
      decision: { rule: "WAR-4", code: "NOT_A_DEFECT" },
      remedy: { rule: "WAR-5", code: "PAID_REPAIR" },
    });
    expect(decision.decision.message).toContain("tarnishing");
  });

  it("a clasp defect (a manufacturing defect) at 2 months is covered", () => {
    const decision = warrantyDecision(claim({ purchasedAt, claimedAt: monthsLater(2) }), settings);
    expect(decision).toMatchObject({ covered: true, decision: { rule: "WAR-1", code: "COVERED" }, remedy: null });
  });
});

describe("a claim's steps on the order's timeline", () => {
  it("are listed but never become the order's state", () => {
    const events = [
      { kind: "delivered" as const, occurredAt: at("2026-11-06T12:00:00Z") },
      { kind: "warranty_claim_filed" as const, occurredAt: at("2026-12-01T12:00:00Z"), ref: "claim-1" },
      { kind: "warranty_invoice_sent" as const, occurredAt: at("2026-12-02T12:00:00Z"), ref: "claim-1" },
    ];
    expect(orderTimeline(events).map((e) => e.kind)).toEqual([
      "delivered",
      "warranty_claim_filed",
      "warranty_invoice_sent",
    ]);
    expect(orderState(events)).toBe("delivered");
  });
});
