import { businessDaysWindowEnd, calendarDaysWindowEnd } from "./calendar";
import type { RuleId } from "./rules";
import type { PolicySettings } from "./settings";

/**
 * RET-6 / RET-12 / RET-13 for one return label: when it voids, when the package
 * must reach the store, what a first carrier scan means, and when a parcel in
 * transit counts as lost. Pure: instants in, decisions out.
 */

/** A decision about a label, in the shape of every policy verdict. */
export interface LabelVerdict {
  allowed: boolean;
  rule: RuleId;
  code: "SHIPPED_IN_TIME" | "SHIPPED_AFTER_VOID";
  message: string;
}

/**
 * RET-6: the label voids at the end (23:59:59.999 store time) of the Nth business day
 * after the local day it was issued on; weekends and observed holidays do not count.
 */
export function labelVoidsAt(issuedAt: Date, settings: PolicySettings): Date {
  return businessDaysWindowEnd(issuedAt, settings.returns.labelVoidBusinessDays, settings.calendar);
}

/** RET-12: the end of the Nth calendar day after the order's delivery; null when the store sets no limit. */
export function returnArrivalDeadline(deliveredAt: Date, settings: PolicySettings): Date | null {
  const days = settings.returns.packageArrivalDays;
  return days === null ? null : calendarDaysWindowEnd(deliveredAt, days, settings.calendar.timeZone);
}

/** RET-6: a parcel first scanned after the label's void moment is rejected; at the moment itself it is in time. */
export function firstScanVerdict(firstScanAt: Date, voidsAt: Date): LabelVerdict {
  if (firstScanAt.getTime() <= voidsAt.getTime()) {
    return { allowed: true, rule: "RET-6", code: "SHIPPED_IN_TIME", message: "Shipped before the label voided." };
  }
  return {
    allowed: false,
    rule: "RET-6",
    code: "SHIPPED_AFTER_VOID",
    message: "Shipped after the label voided: reject (RET-6).",
  };
}

/** What the void decision needs to know of a label. */
export interface LabelFacts {
  status: string;
  voidsAt: Date;
  firstScanAt: Date | null;
  voidedAt: Date | null;
}

/** Statuses in which the label is still waiting for its first scan. */
const WAITING = new Set(["issued"]);

/** RET-6: void with the carrier once the moment has passed without an acceptance scan (strictly after it). */
export function shouldVoid(label: LabelFacts, now: Date): boolean {
  return (
    WAITING.has(label.status) &&
    label.firstScanAt === null &&
    label.voidedAt === null &&
    now.getTime() > label.voidsAt.getTime()
  );
}

/** What the lost-in-transit check needs to know of a parcel. */
export interface ParcelFacts {
  firstScanAt: Date | null;
  deliveredAt: Date | null;
  /** RET-12's deadline (null: none). */
  arriveBy: Date | null;
}

export interface LostParcel {
  kind: "return_lost";
  rule: RuleId;
  since: Date;
  message: string;
}

/**
 * RET-12 + RET-13: a parcel accepted by the carrier and not delivered by RET-12's date
 * raises an alert (the store is not responsible for a return lost in transit).
 * A parcel never scanned is not in transit: its label voids instead (RET-6).
 */
export function lostInTransit(parcel: ParcelFacts, now: Date): LostParcel | null {
  const { firstScanAt, deliveredAt, arriveBy } = parcel;
  // Delivered (even late) is not lost; never scanned is not in transit.
  if (deliveredAt || !firstScanAt || !arriveBy || now.getTime() <= arriveBy.getTime()) return null;
  return {
    kind: "return_lost",
    rule: "RET-13",
    since: arriveBy,
    message: "The return has not reached the store by its RET-12 date: lost in transit (RET-13).",
  };
}

/** Staff's own label file: a PDF, at most this many bytes. */
export const LABEL_FILE_MAX_BYTES = 2 * 1024 * 1024;

export type LabelFileProblem = "NOT_PDF" | "EMPTY" | "TOO_LARGE";

/**
 * Whether an uploaded label file can be given to the shopper: a PDF by its content
 * (starts with "%PDF-"), not only by its declared type, and within the size limit.
 */
export function labelFileProblem(file: { contentType: string; bytes: Uint8Array }): {
  code: LabelFileProblem;
  message: string;
} | null {
  if (file.bytes.length === 0) return { code: "EMPTY", message: "The label file is empty: choose the label's PDF." };
  if (file.bytes.length > LABEL_FILE_MAX_BYTES) {
    const mb = LABEL_FILE_MAX_BYTES / 1024 / 1024;
    return { code: "TOO_LARGE", message: `The label file is larger than ${mb} MB: export a smaller PDF.` };
  }
  const magic = String.fromCharCode(...file.bytes.subarray(0, 5));
  if (file.contentType.split(";")[0]!.trim().toLowerCase() !== "application/pdf" || magic !== "%PDF-") {
    return {
      code: "NOT_PDF",
      message: "A label must be a PDF file: export or print the label to PDF and upload that.",
    };
  }
  return null;
}
