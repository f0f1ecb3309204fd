import { describe, expect, it } from "vitest";
import { PRESETS } from "./presets";
import { presetSettings } from "./settings";
import { parseSettings, PolicySettingsError, validateSettings } from "./settings";

const allu = () => presetSettings("allu");

describe("policy settings", () => {
  it("every preset is valid", () => {
    for (const name of Object.keys(PRESETS) as Array<keyof typeof PRESETS>) {
      expect(validateSettings(presetSettings(name)).ok).toBe(true);
    }
  });

  it("the ALLU preset carries POLICY.md's defaults", () => {
    const s = allu();
    expect(s.shipping.freeShippingThreshold).toEqual({ amount: 50_000, currency: "USD" });
    expect(s.shipping.flatRate).toEqual({ amount: 2_000, currency: "USD" });
    expect(s.shipping.allowedCountries).toEqual(["US"]);
    expect(s.calendar).toEqual({ timeZone: "America/New_York", holidays: "US_FEDERAL", cutoff: "16:00" });
    expect(s.cancellation.windowHours).toBe(2);
    expect(s.returns.windowDays).toBe(14);
    expect(s.returns.labelVoidBusinessDays).toBe(2);
    expect(s.returns.labelFee.amount).toBe(2_000);
    expect(s.timeline.notReceivedBusinessDays).toBe(15);
    expect(s.timeline.carrierClaimBusinessDays).toBe(18);
    expect(s.timeline.deliveryBusinessDays).toEqual({ min: 5, max: 10 });
  });

  it("rejects bad settings with every problem listed by path, never defaulting", () => {
    const bad = structuredClone(allu()) as Record<string, any>;
    bad.shipping.freeShippingThreshold.amount = -100;
    bad.calendar.timeZone = "Mars/Olympus";
    bad.returns.windowDays = "abc";
    bad.cancellation.windowHours = 2.5;
    bad.calendar.cutoff = "4pm";
    const result = validateSettings(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        "calendar.cutoff",
        "calendar.timeZone",
        "cancellation.windowHours",
        "returns.windowDays",
        "shipping.freeShippingThreshold.amount",
      ].sort(),
    );
    expect(byPath["shipping.freeShippingThreshold.amount"]).toMatch(/negative/);
    expect(byPath["calendar.timeZone"]).toMatch(/IANA/);
    expect(byPath["returns.windowDays"]).toMatch(/number/);
  });

  it("rejects a missing section and a money amount in another currency", () => {
    const bad = structuredClone(allu()) as Record<string, any>;
    delete bad.warranty;
    bad.returns.labelFee = { amount: 2000, currency: "EUR" };
    expect(() => parseSettings(bad)).toThrow(PolicySettingsError);
    try {
      parseSettings(bad);
    } catch (error) {
      const paths = (error as PolicySettingsError).problems.map((p) => p.path);
      expect(paths).toContain("warranty");
      expect(paths).toContain("returns.labelFee.currency");
    }
  });

  it("rejects a range whose min exceeds its max, and decimal cents", () => {
    const bad = structuredClone(allu()) as Record<string, any>;
    bad.timeline.deliveryBusinessDays = { min: 11, max: 10 };
    bad.shipping.flatRate.amount = 19.99;
    const result = validateSettings(bad);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      "shipping.flatRate.amount",
      "timeline.deliveryBusinessDays.min",
    ]);
  });

  it("the second store's preset is expressed by settings alone", () => {
    const alley = presetSettings("alleyAccessory");
    expect(alley.returns.windowDays).toBe(30);
    expect(alley.cancellation.windowHours).toBe(24);
    expect(alley.shipping.allowedCountries).toBeNull();
    expect(alley.shipping.freeShippingThreshold?.amount).toBe(0);
    expect(alley.returns.changeOfMind).toBe(false);
    expect(alley.returns.refundBusinessDays.max).toBe(2);
  });
});
