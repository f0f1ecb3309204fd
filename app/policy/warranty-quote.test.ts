import { describe, expect, it } from "vitest";
import { money } from "./money";
import { decimalAmount, repairQuoteProblem } from "./warranty-quote";

describe("WAR-5 repair quotes", () => {
  it("takes a positive price in the order's currency", () => {
    expect(repairQuoteProblem(money(8_500, "USD"), "USD")).toBeNull();
    expect(repairQuoteProblem(money(0, "USD"), "USD")).toMatch(/more than zero/);
    expect(repairQuoteProblem(money(-100, "USD"), "USD")).toMatch(/more than zero/);
    expect(repairQuoteProblem(money(8_500, "EUR"), "USD")).toBe(
      "Quote the repair in USD, the currency the order was paid in (not EUR).",
    );
  });

  it("writes minor units as Shopify's decimal, by the currency's digits", () => {
    expect(decimalAmount(money(8_500, "USD"))).toBe("85.00");
    expect(decimalAmount(money(5, "USD"))).toBe("0.05");
    expect(decimalAmount(money(1_200, "JPY"))).toBe("1200");
    expect(decimalAmount(money(12_345, "KWD"))).toBe("12.345");
  });
});
