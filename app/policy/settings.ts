import { z } from "zod";
import { isValidTimeZone } from "./calendar";
import { isCountryCode } from "./countries";
import { DEFAULT_PRESET, PRESETS, type PresetName } from "./presets";

/**
 * One shop's policy, every number of POLICY.md as a setting. Stored in the app's
 * database and mirrored to the metafield the Shopify Functions read.
 */
const currencyCode = z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as USD");

const moneySchema = z.object({
  amount: z.number().int("must be whole minor units (cents), not a decimal").min(0, "cannot be negative"),
  currency: currencyCode,
});

const days = z
  .number()
  .int("must be a whole number of days")
  .min(0, "cannot be negative")
  .max(3650, "is more than ten years");
const hours = z
  .number()
  .int("must be a whole number of hours")
  .min(0, "cannot be negative")
  .max(24 * 365, "is more than a year");
const months = z
  .number()
  .int("must be a whole number of months")
  .min(0, "cannot be negative")
  .max(120, "is more than ten years");

const dayRange = z.object({ min: days, max: days }).refine((range) => range.min <= range.max, {
  message: "min must not exceed max",
  path: ["min"],
});

const calendarSchema = z.object({
  timeZone: z.string().refine(isValidTimeZone, "is not an IANA time zone (for example America/New_York)"),
  holidays: z.enum(["US_FEDERAL", "NONE"]),
  cutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time "HH:mm"'),
});

const oneOfAKindSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("all") }),
  z.object({
    scope: z.literal("tagged"),
    tag: z.string().min(1, "must name a product tag"),
  }),
]);

const countryCode = z.string().refine(isCountryCode, "must be a two-letter ISO 3166 country code such as US");

export const policySettingsSchema = z.object({
  currency: currencyCode,
  calendar: calendarSchema,
  inventory: z.object({
    maxUnitsPerVariant: z.number().int().min(1, "must allow at least one unit"),
    oneOfAKind: oneOfAKindSchema,
  }),
  shipping: z.object({
    /** null: shipping is never free; amount 0: always free. */
    freeShippingThreshold: moneySchema.nullable(),
    flatRate: moneySchema.nullable(),
    /** null: ships worldwide. */
    allowedCountries: z
      .array(countryCode)
      .min(1, "must list at least one country, or be null for worldwide")
      .nullable(),
    carriers: z.array(z.string().min(1)),
    signatureRequired: z.boolean(),
    giftWrap: z.boolean(),
  }),
  timeline: z.object({
    processingBusinessDays: dayRange,
    deliveryBusinessDays: dayRange,
    notReceivedBusinessDays: days,
    carrierClaimBusinessDays: days,
    paymentOnDeliveryDays: days,
    receiptDays: days,
    /** TML-6: cancel an unpaid payment-on-delivery order by itself when its deadline passes. */
    autoCancelUnpaidOnDelivery: z.boolean(),
  }),
  cancellation: z.object({ windowHours: hours }),
  returns: z.object({
    enabled: z.boolean(),
    windowDays: days,
    accountRequired: z.boolean(),
    changeOfMind: z.boolean(),
    finalSale: z.object({
      compareAtAbovePrice: z.boolean(),
      tag: z.string().min(1).nullable(),
    }),
    paymentMethods: z.enum(["card_only", "any"]),
    exchanges: z.boolean(),
    prepaidLabel: z.boolean(),
    labelVoidBusinessDays: days,
    labelFee: moneySchema,
    feeBasis: z.enum(["order", "item"]),
    refundShipping: z.boolean(),
    refundBusinessDays: dayRange,
    /** null: no deadline for the package to reach the store. */
    packageArrivalDays: days.nullable(),
    wrongItem: z.object({ reportBusinessDays: days, answerHours: hours }),
    inauthenticFullRefund: z.boolean(),
    /** Approve eligible change-of-mind returns as they are requested (off: staff decide each). */
    autoApprove: z.boolean(),
    /** Decline a return created outside the app (native self-serve returns) that breaks these rules. */
    declineIneligibleNative: z.boolean(),
  }),
  warranty: z.object({
    enabled: z.boolean(),
    standardMonths: months,
    extendedMonths: months,
    extendedTags: z.array(z.string().min(1)),
    finalSaleDiscountPercent: z.number().int().min(1).max(100),
  }),
});

export type PolicySettings = z.infer<typeof policySettingsSchema>;
export type ShippingSettings = PolicySettings["shipping"];
export type ReturnSettings = PolicySettings["returns"];

export interface SettingsProblem {
  path: string;
  message: string;
}

export class PolicySettingsError extends Error {
  override name = "PolicySettingsError";
  constructor(readonly problems: SettingsProblem[]) {
    super(`Invalid policy settings:\n${problems.map((p) => `- ${p.path}: ${p.message}`).join("\n")}`);
  }
}

const MONEY_FIELDS = [
  ["shipping", "freeShippingThreshold"],
  ["shipping", "flatRate"],
  ["returns", "labelFee"],
] as const;

/** Amounts must be in the shop currency; checked on the raw input so it is reported beside other problems. */
function currencyProblems(input: unknown): SettingsProblem[] {
  const root = input as Record<string, Record<string, { currency?: unknown } | null> | undefined> | null;
  const currency = (input as { currency?: unknown } | null)?.currency;
  if (typeof currency !== "string") return [];
  return MONEY_FIELDS.flatMap(([section, field]) => {
    const value = root?.[section]?.[field]?.currency;
    return typeof value === "string" && value !== currency
      ? [
          {
            path: `${section}.${field}.currency`,
            message: `must be the shop currency ${currency}, got ${value}`,
          },
        ]
      : [];
  });
}

/** Every problem, each with its path; nothing is ever silently defaulted. */
export function validateSettings(
  input: unknown,
): { ok: true; settings: PolicySettings } | { ok: false; problems: SettingsProblem[] } {
  const result = policySettingsSchema.safeParse(input);
  const problems = [
    ...(result.success ? [] : result.error.issues).map((issue) => ({
      path: issue.path.length ? issue.path.join(".") : "(settings)",
      message: issue.message,
    })),
    ...currencyProblems(input),
  ];
  if (result.success && problems.length === 0) return { ok: true, settings: result.data };
  return { ok: false, problems };
}

export function parseSettings(input: unknown): PolicySettings {
  const result = validateSettings(input);
  if (!result.ok) throw new PolicySettingsError(result.problems);
  return result.settings;
}

/** A preset's settings, validated (a fresh copy each time). */
export function presetSettings(name: PresetName = DEFAULT_PRESET): PolicySettings {
  return parseSettings(structuredClone(PRESETS[name]));
}
