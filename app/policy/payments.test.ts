import { describe, expect, it } from "vitest";
import { awaitsPaymentOnDelivery, cardOnlyDecision, classifyPaymentMethod } from "./payments";
import { payment } from "../../test/support/policy-builders";

describe("RET-3 card only: classifying Shopify transactions", () => {
  it("Shop Pay, Apple Pay and plain cards are card payments", () => {
    expect(classifyPaymentMethod({ gateway: "shopify_payments", paymentDetailsType: "CardPaymentDetails" })).toBe(
      "card",
    );
    expect(classifyPaymentMethod({ gateway: "shopify_payments" })).toBe("card");
    expect(classifyPaymentMethod({ gateway: "bogus" })).toBe("card");
  });

  it("PayPal, installments, gift cards, store credit, manual and cash on delivery are not", () => {
    expect(classifyPaymentMethod({ gateway: "paypal", paymentDetailsType: "PaypalWalletPaymentDetails" })).toBe(
      "paypal",
    );
    expect(classifyPaymentMethod({ gateway: "paypal" })).toBe("paypal");
    expect(
      classifyPaymentMethod({ gateway: "shopify_payments", paymentDetailsType: "ShopPayInstallmentsPaymentDetails" }),
    ).toBe("installments");
    expect(classifyPaymentMethod({ gateway: "Affirm" })).toBe("installments");
    expect(classifyPaymentMethod({ gateway: "gift_card" })).toBe("gift_card");
    expect(classifyPaymentMethod({ gateway: "shopify_store_credit" })).toBe("store_credit");
    expect(classifyPaymentMethod({ gateway: "manual" })).toBe("manual");
    expect(classifyPaymentMethod({ gateway: "Bank Deposit", manualPaymentGateway: true })).toBe("manual");
    expect(classifyPaymentMethod({ gateway: "Cash on Delivery (COD)", manualPaymentGateway: true })).toBe(
      "cash_on_delivery",
    );
    expect(
      classifyPaymentMethod({ gateway: "some_wallet", paymentDetailsType: "LocalPaymentMethodsPaymentDetails" }),
    ).toBe("other");
  });
});

describe("RET-3 card only: the order's decision", () => {
  it("an order paid by card (Shop Pay card included) is returnable", () => {
    expect(cardOnlyDecision([payment("card", 60_000)])).toMatchObject({ allowed: true, rule: "RET-3" });
  });

  it("card + gift card is not returnable, and says so", () => {
    const decision = cardOnlyDecision([payment("card", 40_000), payment("gift_card", 20_000)]);
    expect(decision).toMatchObject({ allowed: false, rule: "RET-3", code: "NOT_PAID_BY_CARD" });
    expect(decision.message).toContain("partly with a gift card");
  });

  it("PayPal is not returnable", () => {
    expect(cardOnlyDecision([payment("paypal", 60_000)]).allowed).toBe(false);
  });

  it("only successful money-in transactions count: a failed PayPal attempt before a card sale is fine", () => {
    const payments = [
      payment("paypal", 60_000, { status: "FAILURE" }),
      payment("card", 60_000),
      payment("card", 5_000, { kind: "REFUND" }),
    ];
    expect(cardOnlyDecision(payments).allowed).toBe(true);
  });

  it("an order with no successful payment is not returnable", () => {
    expect(cardOnlyDecision([payment("card", 60_000, { status: "PENDING" })])).toMatchObject({
      allowed: false,
      code: "NOT_PAID",
    });
  });
});

describe("TML-6 payment on delivery", () => {
  it("awaits payment while the COD transaction is pending, not once it succeeded", () => {
    const pending = payment("cash_on_delivery", 60_000, { status: "PENDING" });
    expect(awaitsPaymentOnDelivery([pending])).toBe(true);
    expect(awaitsPaymentOnDelivery([pending, payment("cash_on_delivery", 60_000)])).toBe(false);
    expect(awaitsPaymentOnDelivery([payment("card", 60_000)])).toBe(false);
  });
});
