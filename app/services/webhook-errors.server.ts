/**
 * An event that can never be applied as it stands: a payload that is malformed, or
 * that names records of a shop other than the one that delivered it. Retrying cannot
 * help, so it is dead-lettered at once, its message (naming the field or record) kept
 * as the reason shown on the Webhooks page.
 */
export class RefusedEvent extends Error {
  override name = "RefusedEvent";
}
