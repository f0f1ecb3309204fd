import type { RuleId } from "../../policy";

/**
 * Why a queue action refused. Routes map codes to HTTP (NOT_FOUND → 404,
 * IN_PROGRESS and INVALID_STATE → 409, SHOPIFY_USER_ERROR → 502, SHOPIFY_UNAVAILABLE and
 * CARRIER_UNAVAILABLE → 503, the rest → 422). Every message is a sentence staff can act on.
 */
export type QueueErrorCode =
  /** No such return in this shop (another shop's return is never revealed). */
  | "NOT_FOUND"
  /** The input is malformed: an unknown checklist item, an empty answer, no quote. */
  | "BAD_REQUEST"
  /** The return is not in a state this action applies to (e.g. refunding a declined return). */
  | "INVALID_STATE"
  /** The policy does not allow it (a refund before a passed inspection, RET-5/8). */
  | "NOT_ALLOWED"
  /** The refund quote changed since staff saw it: the new one must be confirmed. */
  | "QUOTE_CHANGED"
  /** The same action is running right now (a double click): wait a moment. */
  | "IN_PROGRESS"
  /** Shopify refused; `message` is Shopify's wording. */
  | "SHOPIFY_USER_ERROR"
  /** Shopify could not be reached or failed; nothing was changed this time, trying again is safe. */
  | "SHOPIFY_UNAVAILABLE"
  /** The carrier could not be reached or failed (e.g. voiding a label being replaced); trying again is safe. */
  | "CARRIER_UNAVAILABLE";

export class QueueError extends Error {
  override name = "QueueError";
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    readonly rule?: RuleId,
  ) {
    super(message);
  }
}

export const returnNotFound = () =>
  new QueueError("NOT_FOUND", "This return does not exist in this store. Open it again from the Returns page.");

/** The HTTP status a route answers for each code. */
export const QUEUE_ERROR_STATUS: Record<QueueErrorCode, number> = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  INVALID_STATE: 409,
  NOT_ALLOWED: 422,
  QUOTE_CHANGED: 409,
  IN_PROGRESS: 409,
  SHOPIFY_USER_ERROR: 502,
  SHOPIFY_UNAVAILABLE: 503,
  CARRIER_UNAVAILABLE: 503,
};
