/**
 * Watch band adjustment (FAQ: "tell us your wrist size at the time of order"):
 * checkout asks for the wrist size on each watch line and saves it on that line.
 */

/** The line attribute the wrist size is saved under; staff see it on the order's line item. */
export const WRIST_SIZE_ATTRIBUTE = "Wrist size";

/** Wrist sizes an adjusted band can fit, in centimetres. */
export const WRIST_SIZE_RANGE_CM = { min: 12, max: 25 } as const;

const CM_PER_INCH = 2.54;
/** A bare number up to this is read as inches: no adult wrist is 10 cm. */
const LARGEST_BARE_INCHES = 10;

/** Watches are told apart by product type ("Watch", "Watches", "Wrist watches"). */
export function needsWristSize(productType: string | null | undefined): boolean {
  return /\bwatch(es)?\b/i.test(productType ?? "");
}

export type WristSize =
  { ok: true; centimetres: number; value: string } | { ok: false; error: "wristSize.invalid" | "wristSize.outOfRange" };

const oneDecimal = (n: number) => String(Math.round(n * 10) / 10);

/**
 * Reads what a shopper typed: "16.5", "16.5 cm", "6.5 in", "6.5\"". `value` is what is saved:
 * centimetres, with the inches as typed kept alongside.
 */
export function parseWristSize(text: string): WristSize {
  const match = /^\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*(cm|centimet(?:er|re)s?|in|inch|inches|"|″)?\s*$/i.exec(text);
  if (!match) return { ok: false, error: "wristSize.invalid" };
  const number = Number(match[1]!.replace(",", "."));
  const unit = match[2]?.toLowerCase();
  const inches = unit ? !unit.startsWith("c") : number <= LARGEST_BARE_INCHES;
  const centimetres = Math.round((inches ? number * CM_PER_INCH : number) * 10) / 10;
  if (centimetres < WRIST_SIZE_RANGE_CM.min || centimetres > WRIST_SIZE_RANGE_CM.max) {
    return { ok: false, error: "wristSize.outOfRange" };
  }
  const value = inches ? `${oneDecimal(centimetres)} cm (${oneDecimal(number)} in)` : `${oneDecimal(centimetres)} cm`;
  return { ok: true, centimetres, value };
}
