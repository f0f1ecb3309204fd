import { formatMoney, money } from "../../policy";
import type { ReturnClock } from "../../services/returns/returns-queue.server";

const HOUR = 3_600_000;

/** "40 min", "3 h", "2 days": how long until (or since) a moment, as staff read a clock. */
export function span(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < 48 * HOUR) return `${Math.round(ms / HOUR)} h`;
  return `${Math.round(ms / (24 * HOUR))} days`;
}

function format(at: Date, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", ...options }).format(at);
}

/** "Thu 23:59" in the shop's time zone. */
export const weekdayTime = (at: Date, timeZone: string) =>
  format(at, timeZone, { weekday: "short", hour: "2-digit", minute: "2-digit" }).replace(",", "");

/** "Dec 14". */
export const shortDate = (at: Date, timeZone: string) => format(at, timeZone, { month: "short", day: "numeric" });

/** "Dec 14, 2026, 09:30" for the timeline and the detail page. */
export const dateTime = (at: Date, timeZone: string) =>
  format(at, timeZone, { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit" });

/**
 * The clock as the Returns page says it: "Answer due in 3 h", "Label voids Thu 23:59",
 * "Must arrive by Dec 14", "Refund due", or how long ago an overdue one ran out.
 */
export function clockText(clock: ReturnClock, now: Date, timeZone: string): string {
  if (!clock.at) return clock.label;
  const left = clock.at.getTime() - now.getTime();
  if (left < 0) return `${clock.label}: overdue by ${span(-left)}`;
  switch (clock.kind) {
    case "answer_due":
      return `${clock.label} in ${span(left)}`;
    case "label_voids":
      return `${clock.label} ${weekdayTime(clock.at, timeZone)}`;
    default:
      return `${clock.label} ${shortDate(clock.at, timeZone)}`;
  }
}

export const cents = (amount: number, currency: string) => formatMoney(money(amount, currency));

const REASONS: Record<string, string> = {
  change_of_mind: "Change of mind",
  wrong_item: "Wrong item",
  damaged: "Damaged",
  inauthentic: "Not authentic",
};

export const reasonLabel = (reason: string) => REASONS[reason] ?? reason;

export const statusLabel = (status: string) => {
  const text = status.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The numeric part of a Return gid, for the page's URL, and back. */
export const returnPath = (gid: string) => `/app/returns/${gid.split("/").pop()}`;
export const returnGid = (numeric: string) => `gid://shopify/Return/${numeric}`;
