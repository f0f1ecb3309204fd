import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import {
  BUSY,
  DISCARD_LIMIT,
  NOT_POST,
  TOO_LARGE,
  WEBHOOK_BODY_LIMIT,
  ingest,
  type IngestResult,
  type RawWebhook,
} from "../inbox/webhook-inbox.server";
import { webhookAdmission, type Admission, type AdmissionLimits } from "../inbox/webhook-admission.server";

/**
 * The production server's front door (server.mjs): every request Remix would route to
 * app/routes/webhooks.tsx is received here on plain node:http, bounded while it streams;
 * everything else goes to Express + Remix.
 *
 * Express + Remix build the request's URL as `http://${Host}${target}` and Remix matches
 * routes on its path with single fetch's `.data` suffix removed, each segment
 * percent-decoded, case-insensitively and with any number of trailing slashes. The same
 * steps here recognise `/webhooks/`, `/WEBHOOKS`, `/%77ebhooks`, `/webhooks.data`,
 * `/x/../webhooks` and their query strings; a target that is not a path or a Host header
 * that is not a host (either could make that URL another path) is refused.
 */

const WEBHOOKS_ROUTE = /^\/webhooks\/*$/i;
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d*)?$/;

const decodeSegments = (path: string) => {
  try {
    return path
      .split("/")
      .map((segment) => decodeURIComponent(segment).replace(/\//g, "%2F"))
      .join("/");
  } catch {
    return path;
  }
};

/** Whether Remix would route this request target (an origin-form path) to the webhooks route. */
export function isWebhookPath(target: string): boolean {
  let url: URL;
  try {
    url = new URL(`http://localhost${target}`);
  } catch {
    return false;
  }
  // As Remix does: through the pathname setter, so `/webhooks/%2E.data` becomes `/webhooks/`.
  if (url.pathname.endsWith(".data")) url.pathname = url.pathname.replace(/\.data$/, "");
  return WEBHOOKS_ROUTE.test(decodeSegments(url.pathname));
}

export type Destination = "webhooks" | "app" | "invalid";

export function destinationOf(target: string | undefined, host: string | undefined): Destination {
  if (!target?.startsWith("/") || (host !== undefined && !HOST.test(host))) return "invalid";
  return isWebhookPath(target) ? "webhooks" : "app";
}

const declaredLength = (req: IncomingMessage) => Number(req.headers["content-length"] ?? 0);

type Answer = IngestResult | { status: number; message: string; retryAfter?: number };

function answer(res: ServerResponse, result: Answer): void {
  res
    .writeHead(result.status, {
      "Content-Type": "text/plain; charset=utf-8",
      ...(result.status === 405 ? { Allow: "POST" } : {}),
      ...(result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {}),
    })
    .end(result.message);
}

/**
 * Answer now, before the body has arrived, then read and drop what the client still sends
 * (up to DISCARD_LIMIT): closing with unread data would reset the connection, and the client
 * would see the reset instead of the answer.
 */
function refuse(req: IncomingMessage, res: ServerResponse, result: Answer): void {
  answer(res, result);
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT) req.socket.destroy();
  });
  req.resume();
}

const INVALID = { status: 400, message: "Bad Request: the request target must be a path and Host a host name" };

/**
 * Receive one delivery: past the admission bounds it is refused (503, Retry-After) before
 * its body is read; otherwise at most WEBHOOK_BODY_LIMIT bytes are buffered, then it is
 * verified and stored. A delivery whose client has gone before it is stored is not stored.
 */
export function receiveWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  ingestRaw: (raw: RawWebhook) => Promise<IngestResult> = (raw) => ingest(raw),
  admission: Admission = webhookAdmission,
): void {
  if (req.method !== "POST") return refuse(req, res, NOT_POST);
  if (declaredLength(req) > WEBHOOK_BODY_LIMIT) return refuse(req, res, TOO_LARGE);
  const ticket = admission.admit();
  if (!ticket) return refuse(req, res, BUSY);
  res.once("close", ticket.done);
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  const receive = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= WEBHOOK_BODY_LIMIT) {
      ticket.buffered(chunk.length);
      return void chunks.push(chunk);
    }
    refused = true;
    chunks.length = 0;
    req.off("data", receive);
    ticket.done();
    refuse(req, res, TOO_LARGE);
  };
  req.on("data", receive);
  req.on("end", async () => {
    if (refused) return;
    ticket.received();
    if (req.socket.destroyed) return ticket.done();
    try {
      const body = Buffer.concat(chunks, size);
      const header = (name: string) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(", ") : (value ?? null);
      };
      answer(res, await ingestRaw({ body, header }));
    } catch (error) {
      console.error("webhook ingestion failed:", error);
      answer(res, { status: 500, message: "Internal error: the webhook was not stored" });
    } finally {
      ticket.done();
    }
  });
}

/**
 * server.mjs's listeners: `request` for the server's "request" event and `checkContinue`
 * for "checkContinue" (a client sending `Expect: 100-continue` is refused before it sends
 * an oversized body). `limits` replace the admission bounds that are given.
 */
export function webhookFrontDoor(
  app: RequestListener,
  limits: Partial<AdmissionLimits> = {},
): { request: RequestListener; checkContinue: RequestListener } {
  webhookAdmission.limits = { ...webhookAdmission.limits, ...limits };
  const request: RequestListener = (req, res) => {
    switch (destinationOf(req.url, req.headers.host)) {
      case "invalid":
        return refuse(req, res, INVALID);
      case "webhooks":
        return receiveWebhook(req, res);
      default:
        return app(req, res);
    }
  };
  const checkContinue: RequestListener = (req, res) => {
    const destination = destinationOf(req.url, req.headers.host);
    const refused =
      destination === "invalid" ||
      (destination === "webhooks" && (req.method !== "POST" || declaredLength(req) > WEBHOOK_BODY_LIMIT));
    if (!refused) res.writeContinue();
    request(req, res);
  };
  return { request, checkContinue };
}
