import type { PolicySettings } from "./settings";

const usd = (amount: number) => ({ amount, currency: "USD" });

/** ALLU: POLICY.md's defaults, from the merchant's FAQ, shipping and returns pages. */
const allu: PolicySettings = {
  currency: "USD",
  calendar: { timeZone: "America/New_York", holidays: "US_FEDERAL", cutoff: "16:00" },
  inventory: { maxUnitsPerVariant: 1, oneOfAKind: { scope: "all" } },
  shipping: {
    freeShippingThreshold: usd(50_000),
    flatRate: usd(2_000),
    allowedCountries: ["US"],
    carriers: ["FedEx", "UPS", "USPS"],
    signatureRequired: true,
    giftWrap: false,
  },
  timeline: {
    processingBusinessDays: { min: 1, max: 2 },
    deliveryBusinessDays: { min: 5, max: 10 },
    notReceivedBusinessDays: 15,
    carrierClaimBusinessDays: 18,
    paymentOnDeliveryDays: 7,
    receiptDays: 30,
    autoCancelUnpaidOnDelivery: false,
  },
  cancellation: { windowHours: 2 },
  returns: {
    enabled: true,
    windowDays: 14,
    accountRequired: true,
    changeOfMind: true,
    finalSale: { compareAtAbovePrice: true, tag: "final-sale" },
    paymentMethods: "card_only",
    exchanges: false,
    prepaidLabel: true,
    labelVoidBusinessDays: 2,
    labelFee: usd(2_000),
    feeBasis: "order",
    refundShipping: false,
    refundBusinessDays: { min: 10, max: 15 },
    packageArrivalDays: 14,
    wrongItem: { reportBusinessDays: 7, answerHours: 24 },
    inauthenticFullRefund: true,
    autoApprove: false,
    declineIneligibleNative: true,
  },
  warranty: {
    enabled: false,
    standardMonths: 3,
    extendedMonths: 24,
    extendedTags: ["18k-gold", "diamond"],
    finalSaleDiscountPercent: 40,
  },
};

/**
 * The second store of POLICY.md "Other presets": 30-day returns from receipt,
 * 24-hour cancellation, free shipping worldwide, unused-with-tags returns only
 * for faults (no change of mind), refunds within 2 working days of receipt.
 */
const alleyAccessory: PolicySettings = {
  ...allu,
  shipping: { ...allu.shipping, freeShippingThreshold: usd(0), flatRate: null, allowedCountries: null },
  cancellation: { windowHours: 24 },
  returns: {
    ...allu.returns,
    windowDays: 30,
    changeOfMind: false,
    finalSale: { compareAtAbovePrice: false, tag: "final-sale" },
    paymentMethods: "any",
    prepaidLabel: false,
    labelFee: usd(0),
    refundBusinessDays: { min: 0, max: 2 },
    packageArrivalDays: null,
  },
};

/** Alluressories jewelry: ALLU's store rules plus the warranty page (WAR-1…5). */
const alluressories: PolicySettings = {
  ...allu,
  warranty: { ...allu.warranty, enabled: true },
};

/** Pure data (no validation library), so Shopify Functions can bundle it. */
export const PRESETS = { allu, alleyAccessory, alluressories } as const;
export type PresetName = keyof typeof PRESETS;
export const DEFAULT_PRESET: PresetName = "allu";
