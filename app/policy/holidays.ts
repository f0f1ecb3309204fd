import { DateTime } from "luxon";
import type { LocalDate } from "./calendar";

/**
 * US federal holidays (5 U.S.C. 6103) computed by rule for any year, with the
 * observed date: a Saturday holiday is observed on the Friday before (so New
 * Year's Day 2028 is observed on 2027-12-31), a Sunday holiday on the Monday after.
 */
export interface Holiday {
  name: string;
  date: LocalDate;
  observed: LocalDate;
}

const MONDAY = 1;
const THURSDAY = 4;

function fixed(year: number, month: number, day: number): DateTime {
  return DateTime.utc(year, month, day);
}

function nthWeekday(year: number, month: number, weekday: number, n: number): DateTime {
  const first = DateTime.utc(year, month, 1);
  const offset = (weekday - first.weekday + 7) % 7;
  return first.plus({ days: offset + 7 * (n - 1) });
}

function lastWeekday(year: number, month: number, weekday: number): DateTime {
  const last = DateTime.utc(year, month, 1).endOf("month").startOf("day");
  const offset = (last.weekday - weekday + 7) % 7;
  return last.minus({ days: offset });
}

function observedDate(date: DateTime): DateTime {
  if (date.weekday === 6) return date.minus({ days: 1 });
  if (date.weekday === 7) return date.plus({ days: 1 });
  return date;
}

const cache = new Map<number, readonly Holiday[]>();

export function usFederalHolidays(year: number): readonly Holiday[] {
  const cached = cache.get(year);
  if (cached) return cached;
  const rules: Array<[string, DateTime, boolean]> = [
    ["New Year's Day", fixed(year, 1, 1), true],
    ["Birthday of Martin Luther King, Jr.", nthWeekday(year, 1, MONDAY, 3), year >= 1986],
    ["Washington's Birthday", nthWeekday(year, 2, MONDAY, 3), true],
    ["Memorial Day", lastWeekday(year, 5, MONDAY), true],
    ["Juneteenth National Independence Day", fixed(year, 6, 19), year >= 2021],
    ["Independence Day", fixed(year, 7, 4), true],
    ["Labor Day", nthWeekday(year, 9, MONDAY, 1), true],
    ["Columbus Day", nthWeekday(year, 10, MONDAY, 2), true],
    ["Veterans Day", fixed(year, 11, 11), true],
    ["Thanksgiving Day", nthWeekday(year, 11, THURSDAY, 4), true],
    ["Christmas Day", fixed(year, 12, 25), true],
  ];
  const holidays = rules
    .filter(([, , inForce]) => inForce)
    .map(([name, date]) => ({ name, date: date.toISODate()!, observed: observedDate(date).toISODate()! }));
  cache.set(year, holidays);
  return holidays;
}

/** The federal holiday observed on this date, if any (looks at next year for a Dec 31 observance). */
export function observedUsFederalHoliday(date: LocalDate): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  return [...usFederalHolidays(year), ...usFederalHolidays(year + 1)].find((h) => h.observed === date);
}
