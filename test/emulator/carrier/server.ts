import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An emulator of the EasyPost API endpoints the app's SDK calls (v2: shipments, buy,
 * refund, trackers), with label files it serves and tracking webhooks signed as EasyPost
 * signs them: `X-Hmac-Signature: hmac-sha256-hex=<HMAC-SHA256 of the raw body, keyed by
 * the webhook secret NFKD-normalised>`. Reached by the SDK's base URL only.
 */

type Json = Record<string, any>;

export interface CarrierShipment {
  id: string;
  reference: string | null;
  isReturn: boolean;
  toAddress: Json;
  fromAddress: Json;
  parcel: Json;
  rates: Json[];
  createdAt: string;
  bought: { rateId: string; trackingCode: string; labelPath: string; at: string } | null;
  refundStatus: "submitted" | "refunded" | "rejected" | null;
  tracker: { id: string; status: string; details: Json[] } | null;
}

/** A fault for the next matching request: an error status, or no answer at all (before or after acting). */
export type CarrierFault = { status: number } | { hang: "before" | "after" };

export interface CarrierEmulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** Where tracking webhooks are POSTed (the app's /webhooks/carrier). */
  webhookUrl?: string;
  /** The carrier's clock for created_at and label times (default the wall clock). */
  now?: () => Date;
}

export interface CarrierEmulator {
  origin: string;
  /** The SDK's base URL: `${origin}/v2/`. */
  baseUrl: string;
  shipments: Map<string, CarrierShipment>;
  /** Every request as "METHOD /path", in order. */
  requests: string[];
  /** How many purchases and refund requests the carrier has seen, per shipment. */
  purchases(shipmentId: string): number;
  refunds(shipmentId: string): number;
  /** The next request whose "METHOD /path" matches `route` meets `fault`. */
  failNext(route: RegExp, fault: CarrierFault): void;
  setWebhookUrl(url: string): void;
  /** The carrier scans the parcel (acceptance, then in transit) at `at` and sends tracker.updated. */
  scan(shipmentId: string, at: Date): Promise<number>;
  deliver(shipmentId: string, at: Date): Promise<number>;
  /** A tracker.updated event for the shipment, signed (or not) as given; returns the app's HTTP status. */
  sendTrackerEvent(shipmentId: string, options?: { secret?: string; signature?: string | null }): Promise<number>;
  /** EasyPost's signature header for a body. */
  sign(body: string, secret?: string): string;
  close(): Promise<void>;
}

const LABEL_PDF = (tracking: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% return label ${tracking}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );

const id = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

const apiError = (res: ServerResponse, status: number, code: string, message: string) =>
  send(res, status, { error: { code, message, errors: [] } });

export async function startCarrierEmulator(options: CarrierEmulatorOptions): Promise<CarrierEmulator> {
  const now = options.now ?? (() => new Date());
  const shipments = new Map<string, CarrierShipment>();
  const requests: string[] = [];
  const purchases = new Map<string, number>();
  const refunds = new Map<string, number>();
  const faults: Array<{ route: RegExp; fault: CarrierFault }> = [];
  let webhookUrl = options.webhookUrl;
  let origin = "";
  const hung = new Set<ServerResponse>();

  const trackerJson = (s: CarrierShipment) =>
    s.tracker && s.bought
      ? {
          id: s.tracker.id,
          object: "Tracker",
          mode: "test",
          tracking_code: s.bought.trackingCode,
          status: s.tracker.status,
          carrier: "USPS",
          shipment_id: s.id,
          tracking_details: s.tracker.details,
          public_url: `${origin}/track/${s.bought.trackingCode}`,
          created_at: s.bought.at,
          updated_at: now().toISOString(),
        }
      : null;

  const shipmentJson = (s: CarrierShipment) => ({
    id: s.id,
    object: "Shipment",
    mode: "test",
    reference: s.reference,
    is_return: s.isReturn,
    to_address: s.toAddress,
    from_address: s.fromAddress,
    parcel: s.parcel,
    rates: s.rates,
    selected_rate: s.bought ? (s.rates.find((r) => r.id === s.bought!.rateId) ?? null) : null,
    postage_label: s.bought
      ? {
          object: "PostageLabel",
          label_url: `${origin}${s.bought.labelPath}`,
          label_pdf_url: `${origin}${s.bought.labelPath}`,
          label_file_type: "application/pdf",
          label_date: s.bought.at,
        }
      : null,
    tracking_code: s.bought?.trackingCode ?? null,
    tracker: trackerJson(s),
    refund_status: s.refundStatus,
    status: s.bought ? "unknown" : null,
    created_at: s.createdAt,
  });

  const readJson = async (req: IncomingMessage): Promise<Json> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : {};
  };

  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? "";
    const expected = `Basic ${Buffer.from(`${options.apiKey}:`).toString("base64")}`;
    return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, route: string): Promise<void> => {
    let m: RegExpExecArray | null;
    if (route === "POST /v2/shipments") {
      const { shipment } = await readJson(req);
      if (!shipment?.to_address || !shipment?.from_address || !shipment?.parcel)
        return apiError(res, 422, "SHIPMENT.INVALID_PARAMS", "Shipment needs to_address, from_address and parcel.");
      const isReturn = Boolean(shipment.is_return);
      const s: CarrierShipment = {
        id: id("shp"),
        reference: shipment.reference ?? null,
        isReturn,
        // A return label goes back where the original came from: EasyPost swaps the addresses.
        toAddress: { object: "Address", ...(isReturn ? shipment.from_address : shipment.to_address) },
        fromAddress: { object: "Address", ...(isReturn ? shipment.to_address : shipment.from_address) },
        parcel: { object: "Parcel", ...shipment.parcel },
        rates: [],
        createdAt: now().toISOString(),
        bought: null,
        refundStatus: null,
        tracker: null,
      };
      s.rates = [
        { service: "GroundAdvantage", rate: "7.58" },
        { service: "Priority", rate: "9.45" },
      ].map((r) => ({ id: id("rate"), object: "Rate", carrier: "USPS", currency: "USD", shipment_id: s.id, ...r }));
      shipments.set(s.id, s);
      return send(res, 201, shipmentJson(s));
    }
    if ((m = /^GET \/v2\/shipments\/([\w]+)$/.exec(route))) {
      const s = shipments.get(m[1]!);
      return s
        ? send(res, 200, shipmentJson(s))
        : apiError(res, 404, "NOT_FOUND", "The requested resource could not be found.");
    }
    if ((m = /^POST \/v2\/shipments\/([\w]+)\/buy$/.exec(route))) {
      const s = shipments.get(m[1]!);
      if (!s) return apiError(res, 404, "NOT_FOUND", "The requested resource could not be found.");
      const body = await readJson(req);
      purchases.set(s.id, (purchases.get(s.id) ?? 0) + 1);
      if (s.bought) return apiError(res, 422, "SHIPMENT.POSTAGE.EXISTS", "Shipment already has postage.");
      const rate = s.rates.find((r) => r.id === body.rate?.id);
      if (!rate) return apiError(res, 422, "SHIPMENT.RATE.INVALID", "The rate is not a rate of this shipment.");
      const trackingCode = `9434${String(Math.floor(Math.random() * 1e18)).padStart(18, "0")}`;
      const at = now().toISOString();
      s.bought = { rateId: rate.id, trackingCode, labelPath: `/files/postage_label/${s.id}.pdf`, at };
      s.tracker = {
        id: id("trk"),
        status: "pre_transit",
        details: [
          { object: "TrackingDetail", status: "pre_transit", message: "Pre-Shipment Info Sent to USPS", datetime: at },
        ],
      };
      return send(res, 200, shipmentJson(s));
    }
    if ((m = /^POST \/v2\/shipments\/([\w]+)\/refund$/.exec(route))) {
      const s = shipments.get(m[1]!);
      if (!s) return apiError(res, 404, "NOT_FOUND", "The requested resource could not be found.");
      refunds.set(s.id, (refunds.get(s.id) ?? 0) + 1);
      if (!s.bought) return apiError(res, 422, "SHIPMENT.REFUND.UNPURCHASED", "Shipment has no postage to refund.");
      if (s.refundStatus)
        return apiError(res, 422, "SHIPMENT.REFUND.ALREADY_SUBMITTED", "A refund was already requested.");
      const scanned = s.tracker!.details.some((d) => d.status !== "pre_transit");
      s.refundStatus = scanned ? "rejected" : "submitted";
      return send(res, 200, shipmentJson(s));
    }
    if ((m = /^GET \/v2\/trackers\/([\w]+)$/.exec(route))) {
      const s = [...shipments.values()].find((x) => x.tracker?.id === m![1]);
      return s
        ? send(res, 200, trackerJson(s))
        : apiError(res, 404, "NOT_FOUND", "The requested resource could not be found.");
    }
    return apiError(res, 404, "NOT_FOUND", "The requested resource could not be found.");
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://carrier");
    const route = `${req.method} ${url.pathname}`;
    void (async () => {
      try {
        const label = /^\/files\/postage_label\/(\w+)\.pdf$/.exec(url.pathname);
        if (req.method === "GET" && label) {
          const s = shipments.get(label[1]!);
          if (!s?.bought) return apiError(res, 404, "NOT_FOUND", "No such label.");
          res.writeHead(200, { "Content-Type": "application/pdf" });
          return res.end(LABEL_PDF(s.bought.trackingCode));
        }
        requests.push(route);
        if (!authorized(req)) return apiError(res, 401, "APIKEY.INACTIVE", "The API key is not valid.");
        const at = faults.findIndex((f) => f.route.test(route));
        const fault = at >= 0 ? faults.splice(at, 1)[0]!.fault : null;
        if (fault && "status" in fault) {
          await readJson(req).catch(() => null);
          return apiError(res, fault.status, "INTERNAL_SERVER_ERROR", "Something went wrong on EasyPost's side.");
        }
        if (fault?.hang === "before") return void hung.add(res);
        if (fault?.hang === "after") {
          // Act, then never answer: the client times out although the carrier did the work.
          const sink = { writeHead: () => sink, end: () => undefined } as unknown as ServerResponse;
          await handle(req, sink, route);
          return void hung.add(res);
        }
        await handle(req, res, route);
      } catch (error) {
        apiError(res, 500, "INTERNAL_SERVER_ERROR", `Carrier emulator failure: ${(error as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign = (body: string, secret = options.webhookSecret) =>
    `hmac-sha256-hex=${createHmac("sha256", Buffer.from(secret.normalize("NFKD"), "utf8"))
      .update(body, "utf8")
      .digest("hex")}`;

  const sendTrackerEvent: CarrierEmulator["sendTrackerEvent"] = async (shipmentId, opts = {}) => {
    const s = shipments.get(shipmentId);
    if (!s?.tracker) throw new Error(`shipment ${shipmentId} has no tracker`);
    if (!webhookUrl) throw new Error("the carrier emulator has no webhook URL");
    const at = now().toISOString();
    const body = JSON.stringify({
      id: id("evt"),
      object: "Event",
      mode: "test",
      description: "tracker.updated",
      previous_attributes: {},
      result: trackerJson(s),
      status: "pending",
      pending_urls: [webhookUrl],
      completed_urls: [],
      created_at: at,
      updated_at: at,
    });
    const signature = opts.signature === undefined ? sign(body, opts.secret) : opts.signature;
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(signature ? { "X-Hmac-Signature": signature } : {}) },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  };

  const track = (shipmentId: string, status: string, message: string, at: Date) => {
    const s = shipments.get(shipmentId);
    if (!s?.tracker) throw new Error(`shipment ${shipmentId} has no tracker`);
    s.tracker.status = status;
    s.tracker.details.push({ object: "TrackingDetail", status, message, datetime: at.toISOString() });
    return sendTrackerEvent(shipmentId);
  };

  return {
    origin,
    baseUrl: `${origin}/v2/`,
    shipments,
    requests,
    purchases: (shipmentId) => purchases.get(shipmentId) ?? 0,
    refunds: (shipmentId) => refunds.get(shipmentId) ?? 0,
    failNext: (route, fault) => void faults.push({ route, fault }),
    setWebhookUrl: (url) => void (webhookUrl = url),
    scan: (shipmentId, at) => track(shipmentId, "in_transit", "Accepted at USPS Origin Facility", at),
    deliver: (shipmentId, at) => track(shipmentId, "delivered", "Delivered", at),
    sendTrackerEvent,
    sign,
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
