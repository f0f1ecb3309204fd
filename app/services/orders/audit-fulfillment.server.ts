import type { PolicySettings } from "../../policy";
import { fulfillmentAudit, fulfillmentAuditSummary, type OrderShippingFacts } from "../../policy";
import type { OrderCache } from "./order-cache.server";

/** What a fulfillments/* webhook says of the parcel (REST payload). */
export interface FulfillmentPayloadFacts {
  id: string;
  orderId: string;
  createdAt: Date;
  status: string | null;
  trackingCompany: string | null;
  trackingUrls: string[];
  destinationCountry: string | null;
}

export const FLAGGED = "fulfillment_flagged";

/**
 * SHP-4 as a fulfillment is applied: a domestic parcel sent without signature confirmation or
 * with a carrier outside the store's list is recorded on the order's timeline (ref = the
 * fulfillment, source = what was found) and raised as an alert; a later update that puts it
 * right (tracking corrected, fulfillment cancelled) takes the entry back. Returns whether anything changed.
 */
export async function auditFulfillment(
  orders: OrderCache,
  parcel: FulfillmentPayloadFacts,
  settings: PolicySettings,
): Promise<boolean> {
  const order = await orders.require(parcel.orderId);
  const shipping = order.shippingFacts as unknown as OrderShippingFacts | null;
  const facts = {
    trackingCompany: parcel.trackingCompany,
    trackingUrls: parcel.trackingUrls,
    services: shipping?.services ?? [],
    destinationCountry: parcel.destinationCountry ?? shipping?.countryCode ?? null,
  };
  const result = fulfillmentAudit(facts, settings.shipping);
  const flagged = parcel.status !== "cancelled" && result.findings.length > 0;
  const known = order.events.find((e) => e.kind === FLAGGED && e.ref === parcel.id);
  if (!flagged) {
    if (!known) return false;
    await orders.deleteEvent(order, known);
    return true;
  }
  const source = fulfillmentAuditSummary(facts, result);
  if (!order.alerts.some((a) => a.kind === FLAGGED))
    orders.addAlert(order, { kind: FLAGGED, rule: "SHP-4", since: parcel.createdAt });
  if (!known) orders.addEvent(order, { kind: FLAGGED, ref: parcel.id, occurredAt: parcel.createdAt, source });
  else if (known.source !== source) await orders.updateEvent(known, { occurredAt: known.occurredAt, source });
  else return false;
  return true;
}
