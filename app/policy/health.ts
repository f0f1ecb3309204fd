import { checkoutRules } from "./checkout-rules";
import { compare, formatMoney, minorUnitDigits, type Money } from "./money";
import type { Finding, RuleId } from "./rules";
import type { PolicySettings, ShippingSettings } from "./settings";
import { flatRateAudit } from "./shipping";

/**
 * What the health page says of one thing the policy depends on in Shopify:
 * ok, drift (there but different), missing, or unknown (and why not).
 */
export type HealthState = "ok" | "drift" | "missing" | "unknown";

export type HealthCheckId =
  | "validation"
  | "discount"
  | "checkout-rules"
  | "delivery-rate"
  | "delivery-zones"
  | "webhooks"
  | "native-returns"
  | "inventory"
  | "reconciliation"
  | "dead-letters"
  | "fulfillment-audit";

export interface HealthCheck {
  id: HealthCheckId;
  title: string;
  rules: readonly RuleId[];
  state: HealthState;
  /** One sentence: what was found, or why it cannot be known. */
  summary: string;
  details: string[];
  /** The one-click fix, when the Admin API allows one for what was found. */
  fix: { label: string } | null;
  /** Where to act instead, when the fix lives on another page. */
  link?: { label: string; url: string };
}

/** A shipping rate as the delivery profile defines it (prices from Shopify's decimal strings, in minor units). */
export interface DeliveryRateFacts {
  methodId: string;
  rateId: string | null;
  name: string;
  active: boolean;
  /** null: a carrier-calculated rate (no fixed price). */
  price: Money | null;
  /** The cart total from which the rate applies (Shopify's TOTAL_PRICE ≥ condition); null: any total. */
  minTotal: Money | null;
}

export interface DeliveryZoneFacts {
  profileId: string;
  locationGroupId: string;
  zoneId: string;
  name: string;
  countries: string[];
  /** "Rest of world": every country not named in another zone. */
  restOfWorld: boolean;
  rates: DeliveryRateFacts[];
}

/** SHP-2 applies below the free-shipping threshold: the rates a cart under it can be charged. */
export function ratesBelowThreshold(zone: DeliveryZoneFacts, shipping: ShippingSettings): DeliveryRateFacts[] {
  const threshold = shipping.freeShippingThreshold;
  return zone.rates.filter(
    (rate) =>
      rate.active &&
      rate.price !== null &&
      (!threshold ||
        !rate.minTotal ||
        rate.minTotal.currency !== threshold.currency ||
        compare(rate.minTotal, threshold) < 0),
  );
}

/** SHP-2 over the delivery profiles: a below-threshold rate at another amount, or a served country without the flat rate. */
export function deliveryRateFindings(zones: readonly DeliveryZoneFacts[], shipping: ShippingSettings): Finding[] {
  const flat = shipping.flatRate;
  if (!flat) return [];
  const rates = zones.flatMap((zone) =>
    ratesBelowThreshold(zone, shipping)
      .filter((rate) => rate.price!.currency === flat.currency)
      .map((rate) => ({ name: `${rate.name} (${zone.name})`, price: rate.price!, countryCodes: zone.countries })),
  );
  return flatRateAudit(rates, shipping);
}

/** What the one-click SHP-2 fix sends: each drifted rate set to the flat rate; a zone lacking one gets it. */
export interface DeliveryRatePlan {
  update: Array<{ zone: DeliveryZoneFacts; rate: DeliveryRateFacts }>;
  create: DeliveryZoneFacts[];
  /** Allowed countries no zone ships to: a zone has to be added in Shopify's admin. */
  unserved: string[];
}

export function deliveryRatePlan(zones: readonly DeliveryZoneFacts[], shipping: ShippingSettings): DeliveryRatePlan {
  const flat = shipping.flatRate;
  const plan: DeliveryRatePlan = { update: [], create: [], unserved: [] };
  if (!flat) return plan;
  const allowed = new Set(shipping.allowedCountries ?? []);
  for (const zone of zones) {
    const below = ratesBelowThreshold(zone, shipping);
    const drifted = below.filter((rate) => rate.price!.amount !== 0 && !sameMoney(rate.price!, flat));
    for (const rate of drifted) plan.update.push({ zone, rate });
    const servesAllowed = zone.countries.some((c) => allowed.has(c));
    if (servesAllowed && below.length === 0) plan.create.push(zone);
  }
  plan.unserved = [...allowed].filter((country) => !zones.some((zone) => zone.countries.includes(country)));
  return plan;
}

/** SHP-3: a zone naming countries outside the allowed ones; a zone of nothing else can simply be deleted. */
export interface ZoneCountryFinding {
  zone: DeliveryZoneFacts;
  extra: string[];
  onlyExtra: boolean;
}

export function zoneCountryFindings(
  zones: readonly DeliveryZoneFacts[],
  shipping: ShippingSettings,
): ZoneCountryFinding[] {
  const allowed = shipping.allowedCountries;
  if (!allowed) return [];
  return zones.flatMap((zone) => {
    const extra = zone.restOfWorld ? ["rest of world"] : zone.countries.filter((c) => !allowed.includes(c));
    if (!extra.length) return [];
    const onlyExtra = zone.restOfWorld || extra.length === zone.countries.length;
    return [{ zone, extra, onlyExtra }];
  });
}

/** The parts of the stored checkout rules that differ from what the saved settings make ("" when unreadable). */
export function checkoutRulesDifferences(stored: string | null, settings: PolicySettings): string[] {
  if (stored === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return ["(not JSON)"];
  }
  const differences: string[] = [];
  const walk = (want: unknown, have: unknown, path: string) => {
    if (want !== null && typeof want === "object" && !Array.isArray(want)) {
      if (have === null || typeof have !== "object" || Array.isArray(have)) return differences.push(path);
      const keys = new Set([...Object.keys(want), ...Object.keys(have)]);
      for (const key of keys)
        walk(
          (want as Record<string, unknown>)[key],
          (have as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
        );
      return;
    }
    if (JSON.stringify(want) !== JSON.stringify(have)) differences.push(path);
  };
  walk(checkoutRules(settings), value, "");
  return differences;
}

/** A shop-scoped webhook subscription as the Admin API lists it (topic as its enum, e.g. ORDERS_CREATE). */
export interface ListedSubscription {
  id: string;
  topic: string;
  uri: string;
}

/** "orders/create" as the Admin API's WebhookSubscriptionTopic enum spells it. */
export function topicEnum(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

/**
 * The topics of shopify.app.toml are app-scoped: Shopify applies them on deploy and the
 * Admin API does not list them. A shop-scoped subscription beside them either repeats a
 * declared topic (deliveries twice, or to another address) or asks for a topic the app does
 * not declare: both are drift.
 */
export function webhookSubscriptionFindings(
  declaredTopics: readonly string[],
  listed: readonly ListedSubscription[],
): Array<ListedSubscription & { reason: string }> {
  const declared = new Set(declaredTopics.map(topicEnum));
  return listed.map((s) => ({
    ...s,
    reason: declared.has(s.topic)
      ? `${s.topic} to ${s.uri} repeats the app-scoped subscription of shopify.app.toml`
      : `${s.topic} to ${s.uri} is not declared in shopify.app.toml`,
  }));
}

/** Shopify's MoneyInput amount: decimal text in the currency's minor units ("20.00"). */
export function decimalAmount(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  if (digits === 0) return String(value.amount);
  const sign = value.amount < 0 ? "-" : "";
  const abs = Math.abs(value.amount);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`;
}

function sameMoney(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}

export function describeRate(rate: DeliveryRateFacts): string {
  return rate.price ? `${rate.name} at ${formatMoney(rate.price)}` : `${rate.name} (calculated)`;
}
