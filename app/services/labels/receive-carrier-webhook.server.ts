import type { PrismaClient } from "@prisma/client";
import prisma from "../../db.server";
import { enqueue, readBoundedBody } from "../inbox/webhook-inbox.server";
import { CarrierSignatureError, type LabelService, type ParcelTracking } from "./label-service.server";
import { configuredLabelService } from "./easypost-labels.server";

/** The inbox topic of a verified carrier tracking update: internal, never accepted on Shopify's /webhooks. */
export const CARRIER_TRACKING_TOPIC = "carrier/tracker.updated";

/** What the inbox stores of a verified tracking update: the app's own shape, whatever the carrier. */
export interface StoredTracking {
  provider: string;
  eventId: string;
  shipmentId: string | null;
  trackingNumber: string;
  status: ParcelTracking["status"];
  firstScanAt: string | null;
  deliveredAt: string | null;
}

export interface CarrierWebhookResult {
  status: number;
  message: string;
}

/** A label webhook body larger than this is not EasyPost's. */
const CARRIER_BODY_LIMIT = 256 * 1024;

/**
 * POST /webhooks/carrier: the carrier's signature is checked over the raw bytes before
 * anything is read or stored (401 when forged); a tracking update of one of the app's
 * labels is stored in the inbox under its shop, once per carrier event id, and applied
 * by the worker like every webhook. Anything else is acknowledged and dropped.
 */
export async function receiveCarrierWebhook(
  request: Request,
  deps: { db?: PrismaClient; labels?: LabelService | null } = {},
): Promise<CarrierWebhookResult> {
  if (request.method !== "POST") return { status: 405, message: "Method Not Allowed: carrier webhooks are POSTed" };
  const db = deps.db ?? prisma;
  const labels = deps.labels === undefined ? configuredLabelService() : deps.labels;
  const body = await readBoundedBody(request, CARRIER_BODY_LIMIT);
  if (!body) return { status: 413, message: "Payload Too Large: a carrier webhook is at most 256 KB" };
  if (!labels) return { status: 401, message: "Unauthorized: no carrier is configured to verify this webhook" };
  let verified;
  try {
    verified = labels.verifyWebhook(body, (name) => request.headers.get(name));
  } catch (error) {
    if (error instanceof CarrierSignatureError) return { status: 401, message: `Unauthorized: ${error.message}` };
    return { status: 400, message: "Bad Request: the body is not a carrier event" };
  }
  const { tracking } = verified;
  if (!tracking) return { status: 200, message: "Ignored: not a tracking event" };
  const label = await db.returnLabel.findFirst({
    where: {
      trackingNumber: tracking.trackingNumber,
      source: "carrier",
      ...(tracking.shipmentId ? { carrierShipmentId: tracking.shipmentId } : {}),
    },
    select: { shop: true },
  });
  if (!label) return { status: 200, message: "Ignored: not a label of this app" };
  const stored: StoredTracking = {
    provider: labels.provider,
    eventId: verified.eventId,
    shipmentId: tracking.shipmentId,
    trackingNumber: tracking.trackingNumber,
    status: tracking.status,
    firstScanAt: tracking.firstScanAt?.toISOString() ?? null,
    deliveredAt: tracking.deliveredAt?.toISOString() ?? null,
  };
  await enqueue(db, {
    webhookId: `${labels.provider}:${verified.eventId}`,
    shop: label.shop,
    topic: CARRIER_TRACKING_TOPIC,
    body: JSON.stringify(stored),
  });
  return { status: 200, message: "OK" };
}
