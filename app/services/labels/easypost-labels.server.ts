import EasyPost from "@easypost/api";
import { env } from "../../env.server";
import {
  CarrierError,
  CarrierSignatureError,
  type BoughtLabel,
  type CarrierWebhook,
  type LabelService,
  type ParcelTracking,
  type PostalAddress,
  type ReturnShipmentRequest,
  type VoidOutcome,
} from "./label-service.server";

/**
 * RET-6 labels through EasyPost's official SDK (docs/decisions/0006-carrier-easypost.md).
 * The SDK is pointed elsewhere only by its `baseUrl` option (EASYPOST_BASE_URL: the
 * carrier emulator in tests and the demo); its `timeout` option is not applied to
 * requests, so each request gets superagent's own timeout through `requestMiddleware`.
 */

export interface EasyPostOptions {
  apiKey: string;
  webhookSecret: string;
  baseUrl?: string;
  timeoutMs: number;
  carrier: string;
  service: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- EasyPost's objects as its API returns them */
type Json = Record<string, any>;

/** Tracker statuses that mean the carrier has the parcel (an acceptance scan happened). */
const SCANNED = new Set(["in_transit", "out_for_delivery", "delivered", "available_for_pickup", "return_to_sender"]);

function trackingOf(tracker: Json): ParcelTracking {
  const details = ((tracker.tracking_details ?? []) as Json[])
    .map((d) => ({ status: String(d.status), at: new Date(d.datetime) }))
    .filter((d) => !Number.isNaN(d.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const firstScan = details.find((d) => SCANNED.has(d.status));
  const delivered = details.find((d) => d.status === "delivered");
  const status = String(tracker.status);
  return {
    shipmentId: tracker.shipment_id ?? null,
    trackingNumber: String(tracker.tracking_code),
    status:
      status === "pre_transit" || status === "delivered" || status === "unknown"
        ? status
        : status === "return_to_sender"
          ? "returned"
          : status === "failure" || status === "error" || status === "cancelled"
            ? "failure"
            : "in_transit",
    firstScanAt: firstScan?.at ?? null,
    deliveredAt: delivered?.at ?? null,
  };
}

const address = (a: PostalAddress) => ({
  name: a.name,
  company: a.company ?? undefined,
  street1: a.street1,
  street2: a.street2 ?? undefined,
  city: a.city,
  state: a.state,
  zip: a.zip,
  country: a.country,
  phone: a.phone ?? undefined,
  email: a.email ?? undefined,
});

/** A carrier failure as staff read it; never the request, the key or the response body. */
function carrierError(error: unknown, doing: string): CarrierError {
  if (error instanceof CarrierError) return error;
  const e = error as Json;
  const status: number | undefined = e?.statusCode ?? e?.status;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new CarrierError("CARRIER_REFUSED", `EasyPost refused to ${doing}: ${e.message ?? `HTTP ${status}`}`);
  }
  const why =
    e?.timeout || e?.code === "ECONNABORTED"
      ? "did not answer in time"
      : status
        ? `failed (HTTP ${status})`
        : "could not be reached";
  return new CarrierError(
    "CARRIER_UNAVAILABLE",
    `EasyPost ${why} while trying to ${doing}. Nothing is done twice: try again in a few minutes.`,
  );
}

export class EasyPostLabels implements LabelService {
  readonly provider = "easypost";
  private readonly client: InstanceType<typeof EasyPost>;

  constructor(private readonly options: EasyPostOptions) {
    const ms = options.timeoutMs;
    this.client = new EasyPost(options.apiKey, {
      ...(options.baseUrl ? { baseUrl: options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/` } : {}),
      timeout: ms,
      requestMiddleware: (request: any) => request.timeout({ response: ms, deadline: ms }),
    });
  }

  private async call<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw carrierError(error, doing);
    }
  }

  createReturnShipment(request: ReturnShipmentRequest): Promise<{ shipmentId: string }> {
    return this.call("create the return shipment", async () => {
      // is_return: EasyPost swaps the addresses, so they are given as for the original delivery.
      const shipment: Json = await this.client.Shipment.create({
        to_address: address(request.shopper),
        from_address: address(request.store),
        parcel: {
          weight: request.parcel.weightOz,
          length: request.parcel.lengthIn,
          width: request.parcel.widthIn,
          height: request.parcel.heightIn,
        },
        is_return: true,
        reference: request.reference,
      } as any);
      return { shipmentId: String(shipment.id) };
    });
  }

  buyLabel(shipmentId: string): Promise<BoughtLabel> {
    return this.call("buy the return label", async () => {
      let shipment: Json = await this.client.Shipment.retrieve(shipmentId);
      // Bought by an attempt whose answer was lost: that label, not a second one.
      if (!shipment.postage_label) {
        const rates = (shipment.rates ?? []) as Json[];
        const ofCarrier = rates.filter((r) => r.carrier === this.options.carrier);
        const rate =
          ofCarrier.find((r) => r.service === this.options.service) ??
          ofCarrier.sort((a, b) => Number(a.rate) - Number(b.rate))[0];
        if (!rate) {
          throw new CarrierError(
            "CARRIER_REFUSED",
            `EasyPost offered no ${this.options.carrier} rate for this return; check the shop's and the shopper's addresses.`,
          );
        }
        shipment = await this.client.Shipment.buy(shipmentId, rate.id);
      }
      return {
        carrier: String(shipment.selected_rate?.carrier ?? this.options.carrier),
        shipmentId: String(shipment.id),
        trackingNumber: String(shipment.tracking_code),
        labelUrl: String(shipment.postage_label.label_pdf_url ?? shipment.postage_label.label_url),
        trackingUrl: shipment.tracker?.public_url ?? null,
      };
    });
  }

  voidLabel(shipmentId: string): Promise<VoidOutcome> {
    return this.call("void the unused label", async () => {
      // Voided by an attempt whose answer was lost: that void, not a second request.
      const known: Json = await this.client.Shipment.retrieve(shipmentId);
      if (known.refund_status) return known.refund_status as VoidOutcome;
      const shipment: Json = await this.client.Shipment.refund(shipmentId);
      return (shipment.refund_status ?? "submitted") as VoidOutcome;
    });
  }

  tracking(shipmentId: string): Promise<ParcelTracking | null> {
    return this.call("read the parcel's tracking", async () => {
      const shipment: Json = await this.client.Shipment.retrieve(shipmentId);
      return shipment.tracker ? trackingOf(shipment.tracker) : null;
    });
  }

  verifyWebhook(body: Uint8Array, header: (name: string) => string | null): CarrierWebhook {
    const signature = header("x-hmac-signature");
    let event: Json;
    try {
      event = this.client.Utils.validateWebhook(
        Buffer.from(body),
        signature ? { "X-Hmac-Signature": signature } : {},
        this.options.webhookSecret,
      ) as Json;
    } catch {
      throw new CarrierSignatureError("The webhook's X-Hmac-Signature does not match EasyPost's webhook secret");
    }
    const tracker = String(event.description ?? "").startsWith("tracker.") ? (event.result as Json) : null;
    return { eventId: String(event.id), tracking: tracker ? trackingOf(tracker) : null };
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

let configured: LabelService | null | undefined;

/** The configured carrier, or null when no API key is set (labels are then uploaded by staff). */
export function configuredLabelService(): LabelService | null {
  if (configured !== undefined) return configured;
  const e = env();
  configured = e.EASYPOST_API_KEY
    ? new EasyPostLabels({
        apiKey: e.EASYPOST_API_KEY,
        webhookSecret: e.EASYPOST_WEBHOOK_SECRET ?? "",
        baseUrl: e.EASYPOST_BASE_URL,
        timeoutMs: e.EASYPOST_TIMEOUT_MS,
        carrier: e.RETURN_LABEL_CARRIER,
        service: e.RETURN_LABEL_SERVICE,
      })
    : null;
  return configured;
}

export function requireLabelService(): LabelService {
  const service = configuredLabelService();
  if (!service)
    throw new CarrierError(
      "LABELS_NOT_CONFIGURED",
      "No carrier is set up (EASYPOST_API_KEY): upload the return label's PDF yourself.",
    );
  return service;
}
