import { describe, expect, it } from "vitest";
import { presetSettings } from "./settings";
import {
  isFinalSale,
  lineReturnEligibility,
  type ReturnLineFacts,
  type ReturnOrderFacts,
  type ReturnRequestFacts,
} from "./returns";
import { at, payment, usd } from "../../test/support/policy-builders";

const settings = presetSettings("allu");
const delivered = "2026-11-02T14:00:00-05:00"; // Monday
const order = (overrides: Partial<ReturnOrderFacts> = {}): ReturnOrderFacts => ({
  deliveredAt: at(delivered),
  customerHasAccount: true,
  cancelled: false,
  payments: [payment("card", 80_000)],
  ...overrides,
});
const line = (overrides: Partial<ReturnLineFacts> = {}): ReturnLineFacts => ({
  lineId: "gid://shopify/LineItem/1",
  unitPrice: usd(60_000),
  compareAtPrice: null,
  productTags: [],
  returnableQuantity: 1,
  ...overrides,
});
const request = (requestedAt: string, overrides: Partial<ReturnRequestFacts> = {}): ReturnRequestFacts => ({
  requestedAt: at(requestedAt),
  reason: "change_of_mind",
  resolution: "refund",
  ...overrides,
});
const codes = (e: { decisions: Array<{ code: string }> }) => e.decisions.map((d) => d.code);

describe("RET-1 returns requested within 14 days of delivery", () => {
  it("is open until 23:59:59.999 store time on the 14th day after delivery", () => {
    const last = lineReturnEligibility(order(), line(), request("2026-11-16T23:59:59.999-05:00"), settings);
    expect(last).toMatchObject({ eligible: true, decisions: [{ rule: "RET-1", code: "RETURNABLE" }] });
    expect(last.windowEndsAt?.toISOString()).toBe("2026-11-17T04:59:59.999Z");
    const late = lineReturnEligibility(order(), line(), request("2026-11-17T00:00:00-05:00"), settings);
    expect(late.eligible).toBe(false);
    expect(codes(late)).toEqual(["WINDOW_CLOSED"]);
  });

  it("counts from the tracking's delivered event, so an undelivered order cannot be returned yet", () => {
    const result = lineReturnEligibility(
      order({ deliveredAt: null }),
      line(),
      request("2026-11-03T10:00:00-05:00"),
      settings,
    );
    expect(codes(result)).toEqual(["NOT_DELIVERED"]);
  });

  it("requires a customer account", () => {
    const result = lineReturnEligibility(
      order({ customerHasAccount: false }),
      line(),
      request("2026-11-03T10:00:00-05:00"),
      settings,
    );
    expect(codes(result)).toEqual(["ACCOUNT_REQUIRED"]);
  });

  it("refuses a line already returned, and a cancelled order", () => {
    expect(
      codes(
        lineReturnEligibility(order(), line({ returnableQuantity: 0 }), request("2026-11-03T10:00:00-05:00"), settings),
      ),
    ).toEqual(["NOTHING_TO_RETURN"]);
    expect(
      codes(lineReturnEligibility(order({ cancelled: true }), line(), request("2026-11-03T10:00:00-05:00"), settings)),
    ).toEqual(["ORDER_CANCELLED"]);
  });

  it("a 30-day window for the second store, but no change-of-mind returns there", () => {
    const alley = presetSettings("alleyAccessory");
    const result = lineReturnEligibility(order(), line(), request("2026-11-30T10:00:00-05:00"), alley);
    expect(codes(result)).toEqual(["CHANGE_OF_MIND_NOT_ACCEPTED"]);
    const damaged = lineReturnEligibility(
      order(),
      line(),
      request("2026-11-30T10:00:00-05:00", { reason: "damaged" }),
      alley,
    );
    expect(damaged.eligible).toBe(true);
  });
});

describe("RET-2 final sale", () => {
  it("an item bought below its compare-at price is final sale; one at full price beside it is returnable", () => {
    const sale = line({ lineId: "sale", unitPrice: usd(30_000), compareAtPrice: usd(45_000) });
    const full = line({ lineId: "full", unitPrice: usd(45_000), compareAtPrice: usd(45_000) });
    const when = request("2026-11-05T10:00:00-05:00");
    expect(lineReturnEligibility(order(), sale, when, settings)).toMatchObject({
      eligible: false,
      decisions: [{ rule: "RET-2", code: "FINAL_SALE" }],
    });
    expect(lineReturnEligibility(order(), full, when, settings).eligible).toBe(true);
  });

  it("a product tagged final-sale is final sale whatever its price", () => {
    expect(isFinalSale(line({ productTags: ["Final-Sale"] }), settings)).toBe(true);
    expect(isFinalSale(line({ productTags: ["watches"] }), settings)).toBe(false);
  });
});

describe("RET-3 card-only returns", () => {
  it("card + gift card: not returnable", () => {
    const result = lineReturnEligibility(
      order({ payments: [payment("card", 50_000), payment("gift_card", 30_000)] }),
      line(),
      request("2026-11-05T10:00:00-05:00"),
      settings,
    );
    expect(result.decisions).toEqual([expect.objectContaining({ rule: "RET-3", code: "NOT_PAID_BY_CARD" })]);
  });

  it("Shop Pay card: returnable; PayPal: not", () => {
    const shopPay = order({ payments: [payment("card", 80_000, { gateway: "shopify_payments" })] });
    expect(lineReturnEligibility(shopPay, line(), request("2026-11-05T10:00:00-05:00"), settings).eligible).toBe(true);
    const paypal = order({ payments: [payment("paypal", 80_000)] });
    expect(lineReturnEligibility(paypal, line(), request("2026-11-05T10:00:00-05:00"), settings).eligible).toBe(false);
  });

  it("any payment method is fine when the shop allows it", () => {
    const alley = { ...presetSettings("allu"), returns: { ...settings.returns, paymentMethods: "any" as const } };
    expect(
      lineReturnEligibility(
        order({ payments: [payment("paypal", 80_000)] }),
        line(),
        request("2026-11-05T10:00:00-05:00"),
        alley,
      ).eligible,
    ).toBe(true);
  });
});

describe("RET-4 no exchanges", () => {
  it("an exchange is refused with a pointer to a refund", () => {
    const result = lineReturnEligibility(
      order(),
      line(),
      request("2026-11-05T10:00:00-05:00", { resolution: "exchange" }),
      settings,
    );
    expect(result.decisions).toEqual([expect.objectContaining({ rule: "RET-4", code: "NO_EXCHANGES" })]);
  });
});

describe("RET-9 wrong item reported within 7 business days of delivery", () => {
  it("open to the end of the 7th business day; final sale and payment method do not matter", () => {
    // Delivered Monday 2026-11-02: business days 3,4,5,6,9,10,(11 Veterans Day),12 → ends Thursday 2026-11-12.
    const facts = order({ payments: [payment("paypal", 80_000)] });
    const sale = line({ unitPrice: usd(30_000), compareAtPrice: usd(45_000) });
    const last = lineReturnEligibility(
      facts,
      sale,
      request("2026-11-12T23:59:59-05:00", { reason: "wrong_item" }),
      settings,
    );
    expect(last).toMatchObject({ eligible: true, decisions: [{ rule: "RET-9" }] });
    expect(last.windowEndsAt?.toISOString()).toBe("2026-11-13T04:59:59.999Z");
    const late = lineReturnEligibility(
      facts,
      sale,
      request("2026-11-13T00:00:01-05:00", { reason: "wrong_item" }),
      settings,
    );
    expect(codes(late)).toEqual(["WRONG_ITEM_WINDOW_CLOSED"]);
  });
});

describe("RET-10 damaged on arrival", () => {
  it("a return is arranged within the return window, with no exchange", () => {
    const result = lineReturnEligibility(
      order(),
      line(),
      request("2026-11-10T10:00:00-05:00", { reason: "damaged" }),
      settings,
    );
    expect(result.decisions).toEqual([expect.objectContaining({ rule: "RET-10", code: "DAMAGED_CLAIM" })]);
    expect(result.decisions[0]?.message).toMatch(/no replacement or exchange/);
    const exchange = lineReturnEligibility(
      order(),
      line(),
      request("2026-11-10T10:00:00-05:00", { reason: "damaged", resolution: "exchange" }),
      settings,
    );
    expect(codes(exchange)).toEqual(["NO_EXCHANGES"]);
  });
});

describe("RET-11 proven inauthentic", () => {
  it("is accepted long after the return window", () => {
    const result = lineReturnEligibility(
      order(),
      line(),
      request("2027-06-01T10:00:00-04:00", { reason: "inauthentic" }),
      settings,
    );
    expect(result).toMatchObject({ eligible: true, windowEndsAt: null, decisions: [{ rule: "RET-11" }] });
  });
});
