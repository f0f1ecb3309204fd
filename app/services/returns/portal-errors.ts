import type { RuleId } from "../../policy";

/**
 * Why a portal use case refused. Routes map codes to HTTP (NOT_FOUND → 404,
 * SHOPIFY_UNAVAILABLE → 503, SHOPIFY_USER_ERROR → 502, IN_PROGRESS → 409, the rest → 422).
 */
export type PortalErrorCode =
  /** No such order for this customer (also another customer's order: never revealing that it exists). */
  | "NOT_FOUND"
  /** The request itself is malformed: unknown line, bad quantity, missing key. */
  | "BAD_REQUEST"
  /** A window has closed (RET-1, RET-9, CAN-1). */
  | "WINDOW_CLOSED"
  /** A rule other than a window blocks it (RET-2, RET-3, not delivered, already returned…). */
  | "NOT_RETURNABLE"
  /** CAN-2 and other reasons an order cannot be cancelled. */
  | "NOT_CANCELLABLE"
  | "PHOTO_REQUIRED"
  | "BAD_PHOTO"
  /** The same request is being handled right now (a double click): try again in a moment. */
  | "IN_PROGRESS"
  /** Shopify refused the change; `message` is Shopify's wording made readable. */
  | "SHOPIFY_USER_ERROR"
  /** Shopify could not be reached or failed; nothing was changed, trying again is safe. */
  | "SHOPIFY_UNAVAILABLE";

export class PortalError extends Error {
  override name = "PortalError";
  constructor(
    readonly code: PortalErrorCode,
    /** A sentence the shopper can act on. */
    message: string,
    /** The input field it is about: "lines[0].quantity", "photos[1]", "reason". */
    readonly field?: string,
    /** The policy rule that decided it, when one did. */
    readonly rule?: RuleId,
  ) {
    super(message);
  }
}

export const notFound = () =>
  new PortalError("NOT_FOUND", "We could not find that order in your account. Check the order number and try again.");

/** A rule's sentence with its id, as the shopper reads it: "… (RET-2)". */
export const withRule = (message: string, rule: RuleId) => `${message.replace(/\.$/, "")} (${rule}).`;
