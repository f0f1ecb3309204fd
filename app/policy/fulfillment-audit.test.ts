import { describe, expect, it } from "vitest";
import { carrierOf, fulfillmentAudit } from "./fulfillment-audit";
import { presetSettings } from "./settings";

const shipping = { ...presetSettings().shipping, carriers: ["FedEx", "UPS"] };
const parcel = { trackingCompany: null, trackingUrls: [], services: [], destinationCountry: "US" };

describe("SHP-4 fulfillment audit", () => {
  it("flags a domestic USPS parcel without signature: carrier outside the list and no signature confirmation", () => {
    const result = fulfillmentAudit({ ...parcel, trackingCompany: "USPS", services: ["USPS Priority Mail"] }, shipping);
    expect(result).toMatchObject({ domestic: true, carrier: "USPS", signatureConfirmed: false });
    expect(result.findings.map((f) => f.code)).toEqual(["CARRIER_NOT_CHOSEN", "SIGNATURE_NOT_CONFIRMED"]);
    expect(result.findings[1]!.message).toBe(
      'Sent without signature confirmation: the shipping service ("USPS Priority Mail") names none.',
    );
  });

  it("passes a FedEx parcel whose service requires a signature", () => {
    const facts = { ...parcel, trackingCompany: "FedEx", services: ["FedEx 2Day — Signature required"] };
    expect(fulfillmentAudit(facts, shipping)).toEqual({
      domestic: true,
      carrier: "FedEx",
      signatureConfirmed: true,
      findings: [],
    });
  });

  it("finds the carrier from the tracking URL, then the service, when the company is blank", () => {
    expect(
      carrierOf({ trackingCompany: " ", trackingUrls: ["https://www.ups.com/track?tracknum=1Z"], services: [] }),
    ).toBe("UPS");
    expect(carrierOf({ trackingCompany: null, trackingUrls: ["not a url"], services: ["USPS Ground Advantage"] })).toBe(
      "USPS",
    );
    expect(carrierOf({ trackingCompany: "Federal Express", trackingUrls: [], services: [] })).toBe("FedEx");
    expect(fulfillmentAudit(parcel, shipping).findings[0]!.code).toBe("CARRIER_UNKNOWN");
  });

  it("does not count a service that waives the signature, and audits domestic parcels only", () => {
    const waived = { ...parcel, trackingCompany: "UPS", services: ["UPS Ground (no signature)"] };
    expect(fulfillmentAudit(waived, shipping).findings.map((f) => f.code)).toEqual(["SIGNATURE_NOT_CONFIRMED"]);
    expect(fulfillmentAudit({ ...waived, destinationCountry: "CA" }, shipping)).toMatchObject({
      domestic: false,
      findings: [],
    });
    expect(fulfillmentAudit(waived, { ...shipping, signatureRequired: false }).findings).toEqual([]);
  });
});
