import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  businessDaysWindowEnd,
  calendarDaysWindowEnd,
  endOfLocalDay,
  firstWorkingDay,
  holidayName,
  hoursWindowEnd,
  isAfterCutoff,
  isBusinessDay,
  isWithin,
  localDateOf,
  monthsWindowEnd,
  nextBusinessDay,
  weekdayOf,
  type StoreCalendar,
} from "./calendar";
import { usFederalHolidays } from "./holidays";

const NY: StoreCalendar = { timeZone: "America/New_York", holidays: "US_FEDERAL", cutoff: "16:00" };
const at = (iso: string) => new Date(iso);

describe("US federal holidays, observed dates", () => {
  it("computes 2026 by rule", () => {
    const observed = Object.fromEntries(usFederalHolidays(2026).map((h) => [h.name, h.observed]));
    expect(observed).toEqual({
      "New Year's Day": "2026-01-01",
      "Birthday of Martin Luther King, Jr.": "2026-01-19",
      "Washington's Birthday": "2026-02-16",
      "Memorial Day": "2026-05-25",
      "Juneteenth National Independence Day": "2026-06-19",
      "Independence Day": "2026-07-03", // Saturday → Friday
      "Labor Day": "2026-09-07",
      "Columbus Day": "2026-10-12",
      "Veterans Day": "2026-11-11",
      "Thanksgiving Day": "2026-11-26",
      "Christmas Day": "2026-12-25",
    });
  });

  it("observes a Saturday holiday on Friday, even across the year: New Year's Day 2028 on 2027-12-31", () => {
    expect(holidayName("2027-12-31", "US_FEDERAL")).toBe("New Year's Day");
    expect(isBusinessDay("2027-12-31", "US_FEDERAL")).toBe(false);
    expect(holidayName("2027-12-24", "US_FEDERAL")).toBe("Christmas Day");
    expect(holidayName("2027-06-18", "US_FEDERAL")).toBe("Juneteenth National Independence Day");
  });

  it("observes a Sunday holiday on Monday", () => {
    expect(holidayName("2027-07-05", "US_FEDERAL")).toBe("Independence Day");
    expect(holidayName("2022-12-26", "US_FEDERAL")).toBe("Christmas Day");
    expect(holidayName("2023-01-02", "US_FEDERAL")).toBe("New Year's Day");
  });

  it("knows when holidays came into force (Juneteenth from 2021, MLK Day from 1986)", () => {
    expect(usFederalHolidays(2020).some((h) => h.name.startsWith("Juneteenth"))).toBe(false);
    expect(usFederalHolidays(2021).find((h) => h.name.startsWith("Juneteenth"))?.observed).toBe("2021-06-18");
    expect(usFederalHolidays(1985).some((h) => h.name.startsWith("Birthday"))).toBe(false);
  });

  it("has no holidays with the NONE calendar", () => {
    expect(isBusinessDay("2026-11-26", "NONE")).toBe(true);
  });
});

describe("business days", () => {
  it("skip weekends and observed holidays in Thanksgiving week", () => {
    expect(nextBusinessDay("2026-11-25", "US_FEDERAL")).toBe("2026-11-27");
    expect(addBusinessDays("2026-11-25", 2, "US_FEDERAL")).toBe("2026-11-30");
    expect(addBusinessDays("2026-11-20", 5, "US_FEDERAL")).toBe("2026-11-30");
  });

  it("never count the start day", () => {
    expect(addBusinessDays("2026-11-23", 1, "US_FEDERAL")).toBe("2026-11-24");
    expect(addBusinessDays("2026-11-23", 0, "US_FEDERAL")).toBe("2026-11-23");
  });

  it("reject a negative or fractional count", () => {
    expect(() => addBusinessDays("2026-11-23", -1, "US_FEDERAL")).toThrow(/whole number/);
    expect(() => addBusinessDays("2026-11-23", 1.5, "US_FEDERAL")).toThrow(/whole number/);
  });

  it("reject a malformed date", () => {
    expect(() => addCalendarDays("2026-13-01", 1)).toThrow(/YYYY-MM-DD/);
  });
});

describe("window conventions", () => {
  it("an N-hour window ends at the exact instant start + N hours, across a DST change", () => {
    const start = at("2026-03-08T01:30:00-05:00");
    expect(hoursWindowEnd(start, 2).toISOString()).toBe("2026-03-08T08:30:00.000Z");
  });

  it("an N-calendar-day window ends at 23:59:59.999 store time of the Nth day", () => {
    const end = calendarDaysWindowEnd(at("2026-11-20T10:00:00-05:00"), 14, NY.timeZone);
    expect(end.toISOString()).toBe("2026-12-05T04:59:59.999Z");
    expect(isWithin(at("2026-12-05T04:59:59.999Z"), end)).toBe(true);
    expect(isWithin(at("2026-12-05T05:00:00.000Z"), end)).toBe(false);
  });

  it("uses the start's local date, not UTC's (a late-evening start)", () => {
    // 23:30 in New York is already the next day in UTC.
    const end = calendarDaysWindowEnd(at("2026-11-20T23:30:00-05:00"), 1, NY.timeZone);
    expect(end.toISOString()).toBe("2026-11-22T04:59:59.999Z");
  });

  it("a window ending on the day DST ends closes at 23:59:59.999 EST", () => {
    expect(calendarDaysWindowEnd(at("2026-10-18T12:00:00-04:00"), 14, NY.timeZone).toISOString()).toBe(
      "2026-11-02T04:59:59.999Z",
    );
  });

  it("a window ending on the day DST starts closes at 23:59:59.999 EDT", () => {
    expect(calendarDaysWindowEnd(at("2026-02-22T12:00:00-05:00"), 14, NY.timeZone).toISOString()).toBe(
      "2026-03-09T03:59:59.999Z",
    );
  });

  it("an N-business-day window ends at the end of the Nth business day after the start's date", () => {
    // Friday before Thanksgiving week: Mon 23, Tue 24, Wed 25, (Thu 26 holiday), Fri 27.
    expect(businessDaysWindowEnd(at("2026-11-20T15:00:00-05:00"), 4, NY).toISOString()).toBe(
      "2026-11-28T04:59:59.999Z",
    );
  });

  it("a month window clamps to the month's end", () => {
    expect(monthsWindowEnd(at("2026-11-30T12:00:00-05:00"), 3, NY.timeZone).toISOString()).toBe(
      "2027-03-01T04:59:59.999Z",
    );
    expect(monthsWindowEnd(at("2026-08-31T12:00:00-04:00"), 6, NY.timeZone).toISOString()).toBe(
      "2027-03-01T04:59:59.999Z",
    );
  });
});

describe("TML-1 cut-off at 16:00 store time", () => {
  it("15:59:59 is before the cut-off, 16:00:00 is after", () => {
    expect(isAfterCutoff(at("2026-11-20T15:59:59-05:00"), NY.timeZone, NY.cutoff)).toBe(false);
    expect(isAfterCutoff(at("2026-11-20T16:00:00-05:00"), NY.timeZone, NY.cutoff)).toBe(true);
  });

  it("follows daylight time: 16:00 EDT is 20:00 UTC", () => {
    expect(isAfterCutoff(at("2026-07-01T19:59:59Z"), NY.timeZone, NY.cutoff)).toBe(false);
    expect(isAfterCutoff(at("2026-07-01T20:00:00Z"), NY.timeZone, NY.cutoff)).toBe(true);
  });

  it("the first working day is today before the cut-off and the next business day after it", () => {
    expect(firstWorkingDay(at("2026-11-20T15:59:59-05:00"), NY)).toBe("2026-11-20");
    expect(firstWorkingDay(at("2026-11-20T16:00:00-05:00"), NY)).toBe("2026-11-23");
    expect(firstWorkingDay(at("2026-11-25T18:00:00-05:00"), NY)).toBe("2026-11-27");
    expect(firstWorkingDay(at("2026-11-26T09:00:00-05:00"), NY)).toBe("2026-11-27");
  });

  it("reads local dates in the shop's zone", () => {
    expect(localDateOf(at("2026-11-21T03:00:00Z"), "America/New_York")).toBe("2026-11-20");
    expect(localDateOf(at("2026-11-21T03:00:00Z"), "Asia/Tokyo")).toBe("2026-11-21");
    expect(() => localDateOf(at("2026-11-21T03:00:00Z"), "Mars/Olympus")).toThrow(/Unknown time zone/);
  });
});

describe("calendar properties", () => {
  const dates = fc
    .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2090-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const counts = fc.integer({ min: 0, max: 40 });

  it("the Nth business day after a date is a business day, later than the date, exactly N business days away", () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (date, n) => {
        const result = addBusinessDays(date, n, "US_FEDERAL");
        expect(isBusinessDay(result, "US_FEDERAL")).toBe(true);
        expect(result > date).toBe(true);
        expect(businessDaysBetween(date, result, "US_FEDERAL")).toBe(n);
      }),
    );
  });

  it("adding business days composes: (d + a) + b = d + (a + b)", () => {
    fc.assert(
      fc.property(dates, counts, counts, (date, a, b) => {
        expect(addBusinessDays(addBusinessDays(date, a, "US_FEDERAL"), b, "US_FEDERAL")).toBe(
          addBusinessDays(date, a + b, "US_FEDERAL"),
        );
      }),
    );
  });

  it("weekends are never business days and every year has 11 federal holidays observed on weekdays (since 2021)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2021, max: 2200 }), (year) => {
        const holidays = usFederalHolidays(year);
        expect(holidays).toHaveLength(11);
        for (const h of holidays) expect(weekdayOf(h.observed)).toBeLessThanOrEqual(5);
      }),
    );
    fc.assert(fc.property(dates, (date) => (weekdayOf(date) >= 6 ? !isBusinessDay(date, "US_FEDERAL") : true)));
  });

  it("a calendar-day window always ends at 23:59:59.999 local time, whatever the zone and DST", () => {
    const zones = fc.constantFrom(
      "America/New_York",
      "America/Los_Angeles",
      "Europe/London",
      "Australia/Lord_Howe",
      "Asia/Tokyo",
    );
    const instants = fc.date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2060-01-01T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 60 }), zones, (start, days, zone) => {
        const end = calendarDaysWindowEnd(start, days, zone);
        const lastDay = addCalendarDays(localDateOf(start, zone), days);
        expect(end.getTime()).toBe(endOfLocalDay(lastDay, zone).getTime());
        expect(localDateOf(end, zone)).toBe(lastDay);
        expect(localDateOf(new Date(end.getTime() + 1), zone)).toBe(addCalendarDays(lastDay, 1));
      }),
    );
  });
});
