import { describe, expect, it } from "vitest";
import { presetSettings } from "./settings";
import {
  SETTING_FIELDS,
  checkSettingsForm,
  decimalText,
  fieldOfProblem,
  formValues,
  problemsByField,
  toFormData as formData,
  worldwideName,
  type FormValues,
} from "./settings-form";

const alluForm = () => formValues(presetSettings("allu"));

function problemsFor(change: (values: FormValues) => void) {
  const values = alluForm();
  change(values);
  const result = checkSettingsForm(formData(values));
  if (result.ok) throw new Error("expected problems");
  return problemsByField(result.problems);
}

/** Every leaf path of a settings object (arrays and money are leaves). */
function leaves(node: unknown, prefix = ""): string[] {
  if (node === null || typeof node !== "object" || Array.isArray(node) || "amount" in node) return [prefix];
  return Object.entries(node).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

describe("settings form", () => {
  it("has a field, with a rule id and an explanation, for every setting of every preset", () => {
    const paths = new Set(SETTING_FIELDS.map((f) => f.path));
    for (const preset of ["allu", "alleyAccessory", "alluressories"] as const)
      for (const leaf of leaves(presetSettings(preset))) expect(paths, leaf).toContain(leaf);
    for (const field of SETTING_FIELDS) {
      expect(field.rule).toMatch(/^[A-Z]{3}-\d+$/);
      expect(field.help.length).toBeGreaterThan(5);
    }
  });

  it("reads back exactly the settings it shows, for every preset", () => {
    for (const preset of ["allu", "alleyAccessory", "alluressories"] as const) {
      const settings = presetSettings(preset);
      expect(checkSettingsForm(formData(formValues(settings)))).toEqual({ ok: true, settings });
    }
  });

  it("reads money typed as a decimal in the shop currency into minor units", () => {
    const values = alluForm();
    values["shipping.freeShippingThreshold"] = "1,250.5";
    values["returns.labelFee"] = "0";
    const result = checkSettingsForm(formData(values));
    expect(result.ok && result.settings.shipping.freeShippingThreshold).toEqual({ amount: 125_050, currency: "USD" });
    expect(result.ok && result.settings.returns.labelFee).toEqual({ amount: 0, currency: "USD" });
    expect(decimalText({ amount: 125_050, currency: "USD" })).toBe("1250.50");
    expect(decimalText({ amount: 500, currency: "JPY" })).toBe("500");
  });

  it("empty optional fields mean none, as their help says; worldwide means every country", () => {
    const values = alluForm();
    values["shipping.freeShippingThreshold"] = "";
    values["returns.packageArrivalDays"] = " ";
    values[worldwideName("shipping.allowedCountries")] = true;
    const result = checkSettingsForm(formData(values));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.shipping.freeShippingThreshold).toBeNull();
    expect(result.settings.returns.packageArrivalDays).toBeNull();
    expect(result.settings.shipping.allowedCountries).toBeNull();
  });

  it("reports a negative number at its field", () => {
    expect(problemsFor((v) => (v["returns.windowDays"] = "-3"))).toEqual({
      "returns.windowDays": ["cannot be negative"],
    });
  });

  it("reports text in a number at its field, once", () => {
    expect(problemsFor((v) => (v["cancellation.windowHours"] = "two"))).toEqual({
      "cancellation.windowHours": ['must be a whole number (got "two")'],
    });
    expect(problemsFor((v) => (v["shipping.flatRate"] = "twenty"))).toEqual({
      "shipping.flatRate": ['must be an amount such as 20.00 (got "twenty")'],
    });
  });

  it("reports an unknown time zone, a non-ISO country and a threshold in another currency at their fields", () => {
    const problems = problemsFor((v) => {
      v["calendar.timeZone"] = "Mars/Olympus";
      v["shipping.allowedCountries"] = ["US", "XX"];
      v["shipping.freeShippingThreshold"] = "500.00 EUR";
    });
    expect(Object.keys(problems).sort()).toEqual([
      "calendar.timeZone",
      "shipping.allowedCountries",
      "shipping.freeShippingThreshold",
    ]);
    expect(problems["calendar.timeZone"]![0]).toMatch(/IANA time zone/);
    expect(problems["shipping.allowedCountries"]![0]).toMatch(/ISO 3166/);
    expect(problems["shipping.freeShippingThreshold"]).toEqual(["must be the shop currency USD, got EUR"]);
  });

  it("reports min above max at the min field", () => {
    expect(
      problemsFor((v) => {
        v["timeline.deliveryBusinessDays.min"] = "12";
        v["timeline.deliveryBusinessDays.max"] = "10";
      }),
    ).toEqual({ "timeline.deliveryBusinessDays.min": ["min must not exceed max"] });
  });

  it("refuses an empty required number and an empty country list instead of defaulting them", () => {
    const problems = problemsFor((v) => {
      v["returns.windowDays"] = "";
      v["shipping.allowedCountries"] = [];
    });
    expect(problems["returns.windowDays"]).toEqual(["is required"]);
    expect(problems["shipping.allowedCountries"]![0]).toMatch(/at least one country/);
  });

  it("maps nested problem paths to their field", () => {
    expect(fieldOfProblem("shipping.freeShippingThreshold.currency")).toBe("shipping.freeShippingThreshold");
    expect(fieldOfProblem("shipping.allowedCountries.1")).toBe("shipping.allowedCountries");
    expect(fieldOfProblem("nothing.here")).toBe("(settings)");
  });
});
