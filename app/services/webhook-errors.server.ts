/**
 * An event that can never be applied as it stands: a payload that is malformed, or
 * that names records of a shop other than the one that delivered it. Retrying cannot
 * help, so it is dead-lettered at once, its message (naming the field or record) kept
 * as the reason shown on the Webhooks page.
 */
export class RefusedEvent extends Error {
  override name = "RefusedEvent";
}

/**
 * An event that must wait for others to be processed first (a redaction, for the
 * events received before it): released until `retryAt` without using up an attempt.
 */
export class WaitForEarlierEvents extends Error {
  override name = "WaitForEarlierEvents";

  constructor(
    message: string,
    readonly retryAt: Date,
  ) {
    super(message);
  }
}
