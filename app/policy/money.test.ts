import { describe, expect, it } from "vitest";
import { add, formatMoney, money, MoneyError, parseDecimal, subtract } from "./money";

describe("money in integer minor units", () => {
  it("parses Shopify's decimal strings without floating point", () => {
    expect(parseDecimal("499.99", "USD")).toEqual({ amount: 49_999, currency: "USD" });
    expect(parseDecimal("0.1", "USD").amount + parseDecimal("0.2", "USD").amount).toBe(30);
    expect(parseDecimal("500", "USD").amount).toBe(50_000);
    expect(parseDecimal("1500", "JPY").amount).toBe(1_500);
    expect(parseDecimal("12.500", "USD").amount).toBe(1_250);
  });

  it("rejects floats, bad text and hidden precision", () => {
    expect(() => money(19.99, "USD")).toThrow(MoneyError);
    expect(() => parseDecimal("12,00", "USD")).toThrow(/decimal/);
    expect(() => parseDecimal("1.005", "USD")).toThrow(/precision/);
    expect(() => money(1, "usd")).toThrow(/ISO 4217/);
  });

  it("never mixes currencies", () => {
    expect(() => add(money(1, "USD"), money(1, "EUR"))).toThrow(/USD with EUR/);
    expect(subtract(money(50_000, "USD"), money(49_999, "USD"))).toEqual(money(1, "USD"));
  });

  it("formats without Intl, so Functions can use it", () => {
    expect(formatMoney(money(50_000, "USD"))).toBe("$500.00");
    expect(formatMoney(money(123_456_789, "USD"))).toBe("$1,234,567.89");
    expect(formatMoney(money(-2_000, "USD"))).toBe("-$20.00");
    expect(formatMoney(money(1_500, "JPY"))).toBe("¥1,500");
    expect(formatMoney(money(1_000, "CHF"))).toBe("10.00 CHF");
  });
});
