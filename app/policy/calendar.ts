import { DateTime, IANAZone } from "luxon";
import { observedUsFederalHoliday } from "./holidays";

/** A calendar date in the store's time zone, "YYYY-MM-DD". */
export type LocalDate = string;

export type HolidayCalendar = "US_FEDERAL" | "NONE";

/** What turns instants into store days: the store's zone, its holidays and the order cut-off. */
export interface StoreCalendar {
  timeZone: string;
  holidays: HolidayCalendar;
  /** "HH:mm" store time; an order at or after it counts as the next business day's (TML-1). */
  cutoff: string;
}

export class CalendarError extends Error {
  override name = "CalendarError";
}

const validZones = new Map<string, boolean>();

/** Memoized: Luxon checks a zone by building an Intl formatter, which is slow on hot paths. */
export function isValidTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) validZones.set(zone, (valid = IANAZone.isValidZone(zone)));
  return valid;
}

/**
 * A pure function's results by key, forgotten wholesale when full. Zone arithmetic
 * repeats across every order's deadlines (the same days, the same instants).
 */
function memoize<T>(compute: (key: string) => T, limit = 50_000): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined) {
      if (results.size >= limit) results.clear();
      results.set(key, (result = compute(key)));
    }
    return result;
  };
}

function zoned(instant: Date, timeZone: string): DateTime {
  if (!isValidTimeZone(timeZone)) throw new CalendarError(`Unknown time zone "${timeZone}"`);
  if (Number.isNaN(instant.getTime())) throw new CalendarError("Invalid instant");
  return DateTime.fromJSDate(instant, { zone: timeZone });
}

const DAY_MS = 86_400_000;

/** A calendar date as UTC midnight: date-only arithmetic needs no time zone. */
function parseLocalDate(date: LocalDate): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!parsed || parsed.toISOString().slice(0, 10) !== date)
    throw new CalendarError(`"${date}" is not a YYYY-MM-DD date`);
  return parsed;
}

const localDates = memoize((key) => {
  const [ms, timeZone] = key.split("|");
  return zoned(new Date(Number(ms)), timeZone!).toISODate()!;
});

export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return localDates(`${instant.getTime()}|${timeZone}`);
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return new Date(parseLocalDate(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return parseLocalDate(date).getUTCDay() || 7;
}

export function holidayName(date: LocalDate, holidays: HolidayCalendar): string | undefined {
  return holidays === "US_FEDERAL" ? observedUsFederalHoliday(date)?.name : undefined;
}

/** Monday–Friday that is not an observed holiday. */
export function isBusinessDay(date: LocalDate, holidays: HolidayCalendar): boolean {
  return weekdayOf(date) <= 5 && holidayName(date, holidays) === undefined;
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: LocalDate, holidays: HolidayCalendar): LocalDate {
  let day = addCalendarDays(date, 1);
  while (!isBusinessDay(day, holidays)) day = addCalendarDays(day, 1);
  return day;
}

/** The Nth business day after `date`; the start day itself never counts. N = 0 is the date itself. */
export function addBusinessDays(date: LocalDate, count: number, holidays: HolidayCalendar): LocalDate {
  if (!Number.isInteger(count) || count < 0)
    throw new CalendarError(`Business days must be a whole number ≥ 0, got ${count}`);
  let day = date;
  for (let i = 0; i < count; i++) day = nextBusinessDay(day, holidays);
  return day;
}

/** Business days strictly after `from` up to and including `to`. */
export function businessDaysBetween(from: LocalDate, to: LocalDate, holidays: HolidayCalendar): number {
  let count = 0;
  for (let day = from; day < to;) {
    day = addCalendarDays(day, 1);
    if (isBusinessDay(day, holidays)) count++;
  }
  return count;
}

const dayBounds = memoize((key) => {
  const [date, timeZone] = key.split("|") as [LocalDate, string];
  parseLocalDate(date);
  if (!isValidTimeZone(timeZone)) throw new CalendarError(`Unknown time zone "${timeZone}"`);
  const day = DateTime.fromISO(date, { zone: timeZone });
  return { start: day.startOf("day").toMillis(), end: day.endOf("day").toMillis() };
});

export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(dayBounds(`${date}|${timeZone}`).start);
}

/** 23:59:59.999 store time on `date` (DST-aware). */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return new Date(dayBounds(`${date}|${timeZone}`).end);
}

/** A window of N hours ends at the exact instant start + N hours. */
export function hoursWindowEnd(start: Date, hours: number): Date {
  return new Date(start.getTime() + hours * 3_600_000);
}

/** A window of N calendar days ends at the end of the Nth day after the start's local date. */
export function calendarDaysWindowEnd(start: Date, days: number, timeZone: string): Date {
  return endOfLocalDay(addCalendarDays(localDateOf(start, timeZone), days), timeZone);
}

/** A window of N business days ends at the end of the Nth business day after the start's local date. */
export function businessDaysWindowEnd(start: Date, days: number, calendar: StoreCalendar): Date {
  const last = addBusinessDays(localDateOf(start, calendar.timeZone), days, calendar.holidays);
  return endOfLocalDay(last, calendar.timeZone);
}

/** A window of N months ends at the end of the same day-of-month N months later (clamped to month end). */
export function monthsWindowEnd(start: Date, months: number, timeZone: string): Date {
  return zoned(start, timeZone).startOf("day").plus({ months }).endOf("day").toJSDate();
}

/** Windows include their end instant: an act at exactly the end is still inside. */
export function isWithin(at: Date, windowEnd: Date): boolean {
  return at.getTime() <= windowEnd.getTime();
}

/** At or after the cut-off ("HH:mm") in store time. */
export function isAfterCutoff(instant: Date, timeZone: string, cutoff: string): boolean {
  const local = zoned(instant, timeZone);
  const [hour, minute] = cutoff.split(":").map(Number) as [number, number];
  return local.hour * 60 + local.minute >= hour * 60 + minute;
}

/** The business day on which work on something received at `instant` starts (TML-1, CAN-3). */
export function firstWorkingDay(instant: Date, calendar: StoreCalendar): LocalDate {
  const date = localDateOf(instant, calendar.timeZone);
  if (isBusinessDay(date, calendar.holidays) && !isAfterCutoff(instant, calendar.timeZone, calendar.cutoff)) {
    return date;
  }
  return nextBusinessDay(date, calendar.holidays);
}
