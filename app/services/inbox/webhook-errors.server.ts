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

/** How long a failure's summary may be: one line on the Webhooks page. */
const SUMMARY_LENGTH = 300;

const clip = (text: string) => (text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text);
const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * What went wrong, in one line for the Webhooks page: a refused event's reason as
 * it stands, a database error by its code and reason (Prisma's message opens with the
 * invocation and the query), anything else by its name and first line. The full error,
 * stack included, belongs in the logs.
 */
export function summarizeError(error: unknown): string {
  if (!(error instanceof Error)) return clip(linesOf(String(error))[0] ?? "unknown failure");
  const said = linesOf(error.message);
  if (error instanceof RefusedEvent || error instanceof WaitForEarlierEvents) return clip(said[0] ?? error.name);
  if (error.name.startsWith("PrismaClient")) {
    const { code } = error as { code?: unknown };
    return clip(`Database error${typeof code === "string" ? ` ${code}` : ""}: ${said.at(-1) ?? error.name}`);
  }
  return clip(said.length ? `${error.name}: ${said[0]}` : error.name);
}

/** A stored error as the Webhooks page shows it: its first line that says something. */
export function shownError(lastError: string | null): string {
  return clip(linesOf(lastError ?? "")[0] ?? "");
}
