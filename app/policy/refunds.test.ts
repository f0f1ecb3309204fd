import { describe, expect, it } from "vitest";
import { presetSettings } from "./settings";
import { quoteRefund, refundVisibleWindow, type RefundQuoteInput } from "./refunds";
import { at, usd } from "../../test/support/policy-builders";

const settings = presetSettings("allu");
const input = (overrides: Partial<RefundQuoteInput> = {}): RefundQuoteInput => ({
  reason: "change_of_mind",
  lines: [{ lineId: "1", quantity: 1, unitPrice: usd(30_000), tax: usd(2_663) }],
  orderReceivedFreeShipping: false,
  labelsUsed: 1,
  shippedByCustomer: false,
  received: true,
  lostInTransit: false,
  inspection: "passed",
  ...overrides,
});

describe("RET-7 fees", () => {
  it("an order under $500 pays $20 per label; shipping is never refunded", () => {
    const quote = quoteRefund(input(), settings);
    expect(quote.fees).toEqual([{ rule: "RET-7", label: "Return label fee (1 × $20.00)", amount: usd(2_000) }]);
    expect(quote.shippingRefunded).toEqual(usd(0));
    expect(quote.total).toEqual(usd(30_000 + 2_663 - 2_000));
  });

  it("two labels used: two fees", () => {
    expect(quoteRefund(input({ labelsUsed: 2 }), settings).fees[0]?.amount).toEqual(usd(4_000));
  });

  it("an order that got free shipping pays no fee (order basis, the default)", () => {
    const quote = quoteRefund(input({ orderReceivedFreeShipping: true }), settings);
    expect(quote.fees).toEqual([]);
    expect(quote.total).toEqual(usd(32_663));
  });

  it("item basis: a $300 item from a free-shipping order still pays; a $500.00 item does not", () => {
    const itemBasis = { ...settings, returns: { ...settings.returns, feeBasis: "item" as const } };
    expect(quoteRefund(input({ orderReceivedFreeShipping: true }), itemBasis).fees).toHaveLength(1);
    const expensive = input({ lines: [{ lineId: "1", quantity: 1, unitPrice: usd(50_000), tax: usd(0) }] });
    expect(quoteRefund(expensive, itemBasis).fees).toEqual([]);
    const cheaper = input({ lines: [{ lineId: "1", quantity: 1, unitPrice: usd(49_999), tax: usd(0) }] });
    expect(quoteRefund(cheaper, itemBasis).fees).toHaveLength(1);
  });

  it("a customer who ships at their own cost pays no label fee", () => {
    expect(quoteRefund(input({ shippedByCustomer: true, labelsUsed: 0 }), settings).fees).toEqual([]);
  });

  it("the refund never goes below zero", () => {
    const tiny = input({ lines: [{ lineId: "1", quantity: 1, unitPrice: usd(1_000), tax: usd(0) }] });
    expect(quoteRefund(tiny, settings).total).toEqual(usd(0));
  });
});

describe("RET-11 inauthentic: full refund, no fees", () => {
  it("no label fee even under $500, and inspection does not block it", () => {
    const quote = quoteRefund(input({ reason: "inauthentic", inspection: "failed" }), settings);
    expect(quote.fees).toEqual([]);
    expect(quote.total).toEqual(usd(32_663));
    expect(quote.decision).toMatchObject({ allowed: true, rule: "RET-11", code: "FULL_REFUND" });
  });

  it("wrong item (RET-9) and damaged (RET-10) returns carry no fee either", () => {
    expect(quoteRefund(input({ reason: "wrong_item" }), settings).fees).toEqual([]);
    expect(quoteRefund(input({ reason: "damaged" }), settings).fees).toEqual([]);
  });
});

describe("RET-5 condition checked on receipt", () => {
  it("a failed inspection blocks the refund", () => {
    expect(quoteRefund(input({ inspection: "failed" }), settings).decision).toMatchObject({
      allowed: false,
      rule: "RET-5",
      code: "INSPECTION_FAILED",
    });
  });
});

describe("RET-8 refund after receipt and inspection, to the original payment", () => {
  it("waits for receipt, then inspection, then is due", () => {
    expect(quoteRefund(input({ received: false }), settings).decision).toMatchObject({
      allowed: false,
      rule: "RET-8",
      code: "AWAITING_RECEIPT",
    });
    expect(quoteRefund(input({ inspection: "pending" }), settings).decision.code).toBe("AWAITING_INSPECTION");
    expect(quoteRefund(input(), settings).decision).toMatchObject({ allowed: true, rule: "RET-8", code: "REFUND_DUE" });
  });

  it("shows on the statement 10–15 business days after the refund", () => {
    // Refunded Friday 2026-11-20: 10th business day is Mon 2026-12-07 (Thanksgiving skipped), 15th Mon 2026-12-14.
    const window = refundVisibleWindow(at("2026-11-20T11:00:00-05:00"), settings);
    expect(window.from.toISOString()).toBe("2026-12-07T05:00:00.000Z");
    expect(window.by.toISOString()).toBe("2026-12-15T04:59:59.999Z");
  });
});

describe("RET-13 returns lost in transit", () => {
  it("no refund for a package lost before receipt", () => {
    expect(quoteRefund(input({ received: false, lostInTransit: true }), settings).decision).toMatchObject({
      allowed: false,
      rule: "RET-13",
      code: "LOST_IN_TRANSIT",
    });
  });
});
