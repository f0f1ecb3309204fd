import { env } from "../../env.server";
import { notFound, PortalError, type PortalErrorCode } from "../returns/portal-errors";
import { customerFromSessionToken, PortalAuthError, type PortalCustomer } from "./portal-customer.server";

/** What `authenticate.public.customerAccount` answers (the token's claims, and CORS for the response). */
type CustomerAccountAuth = (
  request: Request,
) => Promise<{ sessionToken: { aud?: unknown; dest?: unknown; sub?: unknown }; cors: (r: Response) => Response }>;

const STATUS: Record<PortalErrorCode, number> = {
  NOT_FOUND: 404,
  IN_PROGRESS: 409,
  SHOPIFY_USER_ERROR: 502,
  SHOPIFY_UNAVAILABLE: 503,
  BAD_REQUEST: 422,
  WINDOW_CLOSED: 422,
  NOT_RETURNABLE: 422,
  NOT_CANCELLABLE: 422,
  PHOTO_REQUIRED: 422,
  BAD_PHOTO: 422,
};

/** The HTTP status a portal refusal is answered with (both surfaces). */
export const portalErrorStatus = (code: PortalErrorCode) => STATUS[code];

const AUTH_STATUS = { WRONG_AUDIENCE: 401, SHOP_NOT_INSTALLED: 401, NO_CUSTOMER: 403 } as const;

/**
 * CORS as Shopify's helper sets it, for the answers it throws before handing us its `cors`
 * (401 for a bad token): without it the extension could not read why it was refused.
 */
function withCors(request: Request, response: Response): Response {
  const origin = request.headers.get("Origin");
  if (!origin || origin === env().SHOPIFY_APP_URL || response.headers.has("Access-Control-Allow-Origin")) {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  headers.set("Access-Control-Expose-Headers", "X-Shopify-API-Request-Failure-Reauthorize-Url");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const errorBody = (code: string, message: string, field?: string) =>
  Response.json({ error: { code, message, ...(field ? { field } : {}) } });

function errorResponse(code: string, message: string, status: number, field?: string) {
  const response = errorBody(code, message, field);
  return new Response(response.body, { status, headers: response.headers });
}

/** A refused upload may not have been read to its end: the client must not send its next request on this connection. */
export function closingAfter(request: Request, response: Response): Response {
  if (request.method !== "POST" || response.ok) return response;
  response.headers.set("Connection", "close");
  return response;
}

/**
 * One customer-account endpoint: the session token verified by Shopify's helper (signature, exp,
 * nbf), then audience, installed shop and customer; `run` gets the customer and the request's
 * moment; its answer is JSON, a PortalError the status and sentence the shopper reads.
 */
export async function portalEndpoint(
  request: Request,
  authenticate: CustomerAccountAuth,
  run: (customer: PortalCustomer, now: Date) => Promise<unknown>,
): Promise<Response> {
  let auth: Awaited<ReturnType<CustomerAccountAuth>>;
  try {
    auth = await authenticate(request);
  } catch (thrown) {
    if (thrown instanceof Response) return withCors(request, thrown);
    throw thrown;
  }
  const { sessionToken, cors } = auth;
  try {
    const customer = await customerFromSessionToken(sessionToken, env().SHOPIFY_API_KEY);
    return cors(Response.json(await run(customer, new Date())));
  } catch (error) {
    if (error instanceof PortalAuthError) {
      return cors(errorResponse(error.code, error.message, AUTH_STATUS[error.code]));
    }
    if (error instanceof PortalError) {
      const response = errorResponse(error.code, error.message, portalErrorStatus(error.code), error.field);
      return closingAfter(request, cors(response));
    }
    console.error("return portal request failed:", error);
    return cors(errorResponse("INTERNAL", "Something went wrong on our side. Try again in a moment.", 500));
  }
}

/** An order gid from what a surface sends: the gid itself or its number. Anything else is not found. */
export function orderGid(value: string | null | undefined): string {
  const text = (value ?? "").trim();
  if (/^[1-9]\d*$/.test(text)) return `gid://shopify/Order/${text}`;
  if (/^gid:\/\/shopify\/Order\/[1-9]\d*$/.test(text)) return text;
  throw notFound();
}

/** The order a JSON POST names (`{ "orderId": … }`); an unreadable body is a request the shopper can retry. */
export async function orderIdFromJson(request: Request): Promise<string> {
  const body = await request.json().catch(() => {
    throw new PortalError("BAD_REQUEST", "The request could not be read; reload the page and try again.");
  });
  return orderGid(typeof body?.orderId === "string" ? body.orderId : null);
}
