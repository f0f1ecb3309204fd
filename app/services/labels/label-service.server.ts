/**
 * What the app needs of a carrier for RET-6 return labels, behind one interface:
 * buy a prepaid return label, void (refund) it unused, read its tracking, and
 * verify the carrier's tracking webhooks. `easypost-labels.server.ts` implements it.
 */

export interface PostalAddress {
  name: string;
  company?: string | null;
  street1: string;
  street2?: string | null;
  city: string;
  /** State or province code. */
  state: string;
  zip: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone?: string | null;
  email?: string | null;
}

export interface Parcel {
  /** Ounces, as US carriers rate them. */
  weightOz: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
}

export interface ReturnShipmentRequest {
  /** What the shipment is for, shown on the carrier's side: the Shopify Return gid. */
  reference: string;
  /** Where the parcel comes from. */
  shopper: PostalAddress;
  /** Where it goes back to: the shop's location. */
  store: PostalAddress;
  parcel: Parcel;
}

export interface BoughtLabel {
  /** The carrier that will carry it ("USPS"). */
  carrier: string;
  shipmentId: string;
  trackingNumber: string;
  /** The label file (PDF) as the carrier serves it. */
  labelUrl: string;
  trackingUrl: string | null;
}

/** The parcel's progress as the carrier reports it. */
export interface ParcelTracking {
  shipmentId: string | null;
  trackingNumber: string;
  /** Carrier's status of the parcel: pre_transit (label only), in_transit, delivered, returned, failure, unknown. */
  status: "pre_transit" | "in_transit" | "delivered" | "returned" | "failure" | "unknown";
  /** The carrier's first acceptance scan (the parcel is in its hands), null while none. */
  firstScanAt: Date | null;
  deliveredAt: Date | null;
}

/** A void (refund of an unused label) as the carrier answered it. */
export type VoidOutcome = "submitted" | "refunded" | "rejected" | "not_applicable";

export interface LabelService {
  /** The carrier integration's name, stored on each label ("easypost"). */
  readonly provider: string;
  /** A return shipment with its rates; nothing is bought yet. */
  createReturnShipment(request: ReturnShipmentRequest): Promise<{ shipmentId: string }>;
  /** Buy the shipment's label; a shipment already bought gives its label back, never a second one. */
  buyLabel(shipmentId: string): Promise<BoughtLabel>;
  /** Void an unused label (the carrier refunds it); voiding it again changes nothing. */
  voidLabel(shipmentId: string): Promise<VoidOutcome>;
  /** The parcel's tracking as the carrier knows it now (polling). */
  tracking(shipmentId: string): Promise<ParcelTracking | null>;
  /**
   * A tracking webhook's raw bytes checked against the carrier's signature: its tracking,
   * null for an event that is not about tracking. Throws CarrierSignatureError when forged.
   */
  verifyWebhook(body: Uint8Array, header: (name: string) => string | null): CarrierWebhook;
}

export interface CarrierWebhook {
  /** The carrier's event id (a redelivery has the same one). */
  eventId: string;
  tracking: ParcelTracking | null;
}

export type CarrierErrorCode =
  /** The carrier did not answer (timeout, 5xx, unreachable): nothing to fix, trying again is safe. */
  | "CARRIER_UNAVAILABLE"
  /** The carrier refused the request (bad address, no rate): the message says what. */
  | "CARRIER_REFUSED"
  /** No carrier is configured (EASYPOST_API_KEY unset). */
  | "LABELS_NOT_CONFIGURED";

export class CarrierError extends Error {
  override name = "CarrierError";
  constructor(
    readonly code: CarrierErrorCode,
    /** A sentence staff can act on. */
    message: string,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.code === "CARRIER_UNAVAILABLE";
  }
}

/** A carrier webhook whose signature does not verify: refused (401), nothing stored. */
export class CarrierSignatureError extends Error {
  override name = "CarrierSignatureError";
}

/** What a return parcel is assumed to be when nothing better is known: a small boxed item. */
export const DEFAULT_RETURN_PARCEL: Parcel = { weightOz: 32, lengthIn: 12, widthIn: 9, heightIn: 6 };
