import type { Finding } from "./rules";
import type { ShippingSettings } from "./settings";

/**
 * SHP-4: "All domestic packages are shipped via FedEx or UPS and signature confirmation is
 * required." What Shopify tells of a parcel, and what it does not:
 * - the carrier: the fulfillment's tracking company (`trackingInfo.company`, REST `tracking_company`),
 *   else the tracking URL's host (fedex.com, ups.com, usps.com…), else a carrier named in the
 *   shipping service (the order's shipping line title, e.g. "USPS Priority Mail");
 * - the signature: the Admin API (2026-10) exposes no signature option on Fulfillment,
 *   FulfillmentOrder or ShippingLine, and a Shopify Shipping label's signature choice is not
 *   reported either. So a signature counts as confirmed only when the shipping service says so
 *   (a rate named "… signature required", "Adult signature", "Direct signature"); otherwise the
 *   parcel is flagged as sent without signature confirmation, for staff to check the label.
 */
export interface FulfillmentAuditFacts {
  trackingCompany: string | null;
  trackingUrls: readonly string[];
  /** The order's shipping line titles: the service the parcel went with. */
  services: readonly string[];
  /** Where the parcel goes (the fulfillment's destination, else the order's shipping address). */
  destinationCountry: string | null;
}

export interface FulfillmentAuditResult {
  domestic: boolean;
  carrier: string | null;
  signatureConfirmed: boolean;
  findings: Finding[];
}

const CARRIERS: ReadonlyArray<{ name: string; names: RegExp; hosts: RegExp }> = [
  { name: "FedEx", names: /\b(fedex|federal express)\b/i, hosts: /(^|\.)fedex\.com$/i },
  { name: "UPS", names: /\b(ups|united parcel service)\b/i, hosts: /(^|\.)ups\.com$/i },
  { name: "USPS", names: /\b(usps|u\.s\. postal service|united states postal service)\b/i, hosts: /(^|\.)usps\.com$/i },
  { name: "DHL", names: /\bdhl\b/i, hosts: /(^|\.)dhl\.com$/i },
];

const SIGNATURE = /\bsignature\b/i;
const NO_SIGNATURE = /\bno signature\b|\bsignature (not required|waived)\b|\bwithout signature\b/i;

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
};

/**
 * The carrier's usual name from what Shopify reports: a known tracking company, else the tracking
 * URL's host (a merchant's "Other" company with a carrier's URL), else the service; an unknown
 * company keeps its own name.
 */
export function carrierOf(facts: Pick<FulfillmentAuditFacts, "trackingCompany" | "trackingUrls" | "services">) {
  const company = facts.trackingCompany?.trim() || null;
  const named = (text: string) => CARRIERS.find((c) => c.names.test(text))?.name;
  const byUrl = facts.trackingUrls.map((url) => CARRIERS.find((c) => c.hosts.test(hostOf(url)))?.name).find(Boolean);
  const byService = facts.services.map(named).find(Boolean);
  return (company && named(company)) ?? byUrl ?? byService ?? company;
}

/** Domestic: bound for one of the countries the store ships to (SHP-3); a store shipping anywhere audits every parcel. */
const isDomestic = (country: string | null, shipping: ShippingSettings) =>
  !shipping.allowedCountries || !country || shipping.allowedCountries.includes(country);

/** SHP-4 for one fulfillment: what was found, and the findings against the store's carriers and signature rule. */
export function fulfillmentAudit(facts: FulfillmentAuditFacts, shipping: ShippingSettings): FulfillmentAuditResult {
  const carrier = carrierOf(facts);
  const signatureConfirmed = facts.services.some((s) => SIGNATURE.test(s) && !NO_SIGNATURE.test(s));
  const domestic = isDomestic(facts.destinationCountry, shipping);
  const findings: Finding[] = [];
  if (!domestic) return { domestic, carrier, signatureConfirmed, findings };
  const chosen = shipping.carriers.join(", ");
  if (!carrier) {
    findings.push({
      rule: "SHP-4",
      code: "CARRIER_UNKNOWN",
      message: "No carrier is named by the tracking company, tracking URL or shipping service.",
    });
  } else if (!shipping.carriers.some((name) => name.toLowerCase() === carrier.toLowerCase())) {
    findings.push({
      rule: "SHP-4",
      code: "CARRIER_NOT_CHOSEN",
      message: `Shipped with ${carrier}, not one of ${chosen}.`,
    });
  }
  if (shipping.signatureRequired && !signatureConfirmed) {
    const service = facts.services.length ? `"${facts.services.join('", "')}"` : "none recorded";
    findings.push({
      rule: "SHP-4",
      code: "SIGNATURE_NOT_CONFIRMED",
      message: `Sent without signature confirmation: the shipping service (${service}) names none.`,
    });
  }
  return { domestic, carrier, signatureConfirmed, findings };
}

/** One line for the timeline and the lists: the carrier, the service, then each finding. */
export function fulfillmentAuditSummary(facts: FulfillmentAuditFacts, result: FulfillmentAuditResult): string {
  const found = [result.carrier ?? "no carrier", facts.services[0] ?? "no shipping service"].join(", ");
  return `SHP-4: ${found}. ${result.findings.map((f) => f.message).join(" ")}`;
}
