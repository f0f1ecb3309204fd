import { describe, expect, it } from "vitest";
import { money } from "./money";
import { fulfillmentAudit } from "./fulfillment-audit";
import { presetSettings } from "./settings";
import {
  destinationDecision,
  flatRateAudit,
  freeShippingNotice,
  freeShippingOrderAudit,
  freeShippingStatus,
  shippingNotices,
  subtotalAfterDiscounts,
} from "./shipping";

const { shipping } = presetSettings("allu");
const usd = (cents: number) => money(cents, "USD");

describe("SHP-1 free shipping at or above the threshold", () => {
  it("$500.00 qualifies", () => {
    const status = freeShippingStatus(usd(50_000), shipping);
    expect(status.qualifies).toBe(true);
    expect(status.remaining).toEqual(usd(0));
    expect(status.decision).toMatchObject({ allowed: true, rule: "SHP-1", code: "FREE_SHIPPING" });
  });

  it("$499.99 does not, and is one cent away", () => {
    const status = freeShippingStatus(usd(49_999), shipping);
    expect(status.qualifies).toBe(false);
    expect(status.remaining).toEqual(usd(1));
    expect(status.decision.message).toBe("Add $0.01 more for free shipping (orders of $500.00 or more).");
  });

  it("an empty cart is the whole threshold away", () => {
    expect(freeShippingStatus(usd(0), shipping).remaining).toEqual(usd(50_000));
  });

  it("a zero threshold makes shipping always free; no threshold, never", () => {
    expect(freeShippingStatus(usd(0), presetSettings("alleyAccessory").shipping).qualifies).toBe(true);
    expect(freeShippingStatus(usd(1_000_000), { ...shipping, freeShippingThreshold: null }).qualifies).toBe(false);
  });

  it("refuses to compare different currencies", () => {
    expect(() => freeShippingStatus(money(60_000, "CAD"), shipping)).toThrow(/CAD/);
  });
});

describe("SHP-1 counts the subtotal after discounts", () => {
  it("takes line and order discounts off the lines' prices", () => {
    expect(subtotalAfterDiscounts("USD", [usd(35_000), usd(25_000)], [usd(15_000)])).toEqual(usd(45_000));
    expect(subtotalAfterDiscounts("USD", [usd(52_000)], [usd(2_000)])).toEqual(usd(50_000));
    expect(subtotalAfterDiscounts("USD", [], [])).toEqual(usd(0));
  });

  it("never goes below zero, and refuses another currency", () => {
    expect(subtotalAfterDiscounts("USD", [usd(10_000)], [usd(12_000)])).toEqual(usd(0));
    expect(() => subtotalAfterDiscounts("USD", [money(10_000, "CAD")], [])).toThrow(/CAD/);
  });
});

describe("SHP-1 after checkout", () => {
  /** An order shipped to the US: merchandise after discounts, and its shipping before and after shipping discounts. */
  const order = (subtotal: number, price: number, charged: number, countryCode: string | null = "US") => ({
    subtotalAfterDiscounts: usd(subtotal),
    shippingCost: { price: usd(price), charged: usd(charged) },
    countryCode,
  });

  it("flags free shipping on $450 of merchandise after a $150 order code", () => {
    expect(freeShippingOrderAudit(order(45_000, 2_000, 0), shipping)).toBe("FREE_SHIPPING_BELOW_THRESHOLD");
    expect(freeShippingOrderAudit(order(49_999, 2_000, 0), shipping)).toBe("FREE_SHIPPING_BELOW_THRESHOLD");
  });

  it("flags shipping charged on $500.00 after discounts (Shopify kept the shopper's other discount)", () => {
    expect(freeShippingOrderAudit(order(50_000, 2_000, 2_000), shipping)).toBe("FREE_SHIPPING_WITHHELD");
    // A partial shipping discount still leaves shipping to refund.
    expect(freeShippingOrderAudit(order(52_000, 2_000, 500), shipping)).toBe("FREE_SHIPPING_WITHHELD");
  });

  it("is quiet when the order got what SHP-1 gives", () => {
    expect(freeShippingOrderAudit(order(50_000, 2_000, 0), shipping)).toBeNull();
    expect(freeShippingOrderAudit(order(49_999, 2_000, 2_000), shipping)).toBeNull();
    // A free rate is a rate, not the free-shipping discount (SHP-2 audits rates).
    expect(freeShippingOrderAudit(order(30_000, 0, 0), shipping)).toBeNull();
    expect(freeShippingOrderAudit(order(60_000, 0, 0), shipping)).toBeNull();
  });

  it("is quiet where the free-shipping Function does not apply", () => {
    const pickup = { subtotalAfterDiscounts: usd(60_000), shippingCost: null, countryCode: "US" };
    expect(freeShippingOrderAudit(pickup, shipping)).toBeNull();
    expect(freeShippingOrderAudit(order(60_000, 2_000, 2_000, null), shipping)).toBeNull();
    expect(freeShippingOrderAudit(order(60_000, 4_500, 4_500, "CA"), shipping)).toBeNull();
    const cad = {
      subtotalAfterDiscounts: money(40_000, "CAD"),
      shippingCost: { price: money(2_500, "CAD"), charged: money(0, "CAD") },
      countryCode: "US",
    };
    expect(freeShippingOrderAudit(cad, shipping)).toBeNull();
    expect(freeShippingOrderAudit(order(40_000, 2_000, 0), { ...shipping, freeShippingThreshold: null })).toBeNull();
  });

  it("with free shipping on every order and no country limit, any shipping charged is to refund", () => {
    const { shipping: worldwide } = presetSettings("alleyAccessory");
    expect(freeShippingOrderAudit(order(1_000, 1_500, 1_500, "JP"), worldwide)).toBe("FREE_SHIPPING_WITHHELD");
    expect(freeShippingOrderAudit(order(1_000, 1_500, 0, "JP"), worldwide)).toBeNull();
  });
});

describe("SHP-2 flat rate below the threshold", () => {
  it("reports a rate that drifted from $20 and a country without the flat rate", () => {
    const findings = flatRateAudit([{ name: "Standard", price: usd(2_500), countryCodes: ["US"] }], shipping);
    expect(findings.map((f) => f.code)).toEqual(["RATE_DRIFT", "RATE_MISSING"]);
    expect(findings[0]?.rule).toBe("SHP-2");
  });

  it("is quiet when the $20 rate ships to the US (a free rate is not drift)", () => {
    const rates = [
      { name: "Standard", price: usd(2_000), countryCodes: ["US"] },
      { name: "Free", price: usd(0), countryCodes: ["US"] },
    ];
    expect(flatRateAudit(rates, shipping)).toEqual([]);
  });
});

describe("SHP-3 domestic only", () => {
  it("allows US addresses and refuses others with a readable message", () => {
    expect(destinationDecision("US", shipping).allowed).toBe(true);
    expect(destinationDecision("us", shipping).allowed).toBe(true);
    const ca = destinationDecision("CA", shipping);
    expect(ca).toMatchObject({ allowed: false, rule: "SHP-3", code: "DESTINATION_NOT_SERVED" });
    expect(ca.message).toContain("US");
  });

  it("ships anywhere when no countries are set", () => {
    expect(destinationDecision("JP", presetSettings("alleyAccessory").shipping).allowed).toBe(true);
  });
});

describe("SHP-4 store-chosen carrier, signature required", () => {
  const parcel = { trackingUrls: [], services: ["FedEx 2Day, signature required"], destinationCountry: "US" };
  it("accepts the store's carriers in any case and flags others or none", () => {
    expect(fulfillmentAudit({ ...parcel, trackingCompany: "fedex" }, shipping).findings).toEqual([]);
    expect(fulfillmentAudit({ ...parcel, trackingCompany: "DHL" }, shipping).findings[0]).toMatchObject({
      rule: "SHP-4",
      code: "CARRIER_NOT_CHOSEN",
    });
    const none = { ...parcel, trackingCompany: null, services: ["Standard, signature required"] };
    expect(fulfillmentAudit(none, shipping).findings[0]?.code).toBe("CARRIER_UNKNOWN");
  });
});

describe("SHP-5 and shipping-step notices", () => {
  it("explains domestic only (SHP-3), carrier and signature (SHP-4), ship-to and no gift wrap (SHP-5)", () => {
    const notices = shippingNotices(shipping);
    expect(notices.map((n) => n.key)).toEqual(["domesticOnly", "carrier", "signature", "shipTo", "noGiftWrap"]);
    expect(notices.map((n) => n.rule)).toEqual(["SHP-3", "SHP-4", "SHP-4", "SHP-5", "SHP-5"]);
    expect(notices[0]).toMatchObject({
      params: { countries: "US" },
      message: expect.stringContaining("only within US"),
    });
    const relaxed = shippingNotices({ ...shipping, allowedCountries: null, signatureRequired: false, giftWrap: true });
    expect(relaxed.map((n) => n.key)).toEqual(["carrier", "shipTo"]);
  });

  it("shows SHP-1 progress: the amount left below the threshold, free at or above it, nothing when never free", () => {
    expect(freeShippingNotice(usd(42_000), shipping)).toEqual({
      rule: "SHP-1",
      key: "freeShipping.remaining",
      params: { remaining: usd(8_000), threshold: usd(50_000) },
      message: "Add $80.00 more for free shipping (orders of $500.00 or more).",
    });
    expect(freeShippingNotice(usd(50_000), shipping)?.key).toBe("freeShipping.unlocked");
    expect(freeShippingNotice(usd(49_999), shipping)?.params?.remaining).toEqual(usd(1));
    expect(freeShippingNotice(usd(90_000), { ...shipping, freeShippingThreshold: null })).toBeUndefined();
    expect(freeShippingNotice(money(90_000, "CAD"), shipping)).toBeUndefined();
  });
});
