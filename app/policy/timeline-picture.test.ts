import { describe, expect, it } from "vitest";
import { timelinePicture } from "./timeline-picture";

const calendar = { timeZone: "America/New_York", holidays: "US_FEDERAL" as const, cutoff: "16:00" };
const at = (iso: string) => new Date(iso);
const DAY = 28;

// Placed Wed 25 Nov 2026, 10:00 Eastern; Thanksgiving is Thursday, then a weekend.
const placedAt = at("2026-11-25T15:00:00Z");
const picture = timelinePicture({
  placedAt,
  events: [
    { kind: "placed", label: "Placed", at: placedAt },
    { kind: "shipped", label: "Shipped", at: at("2026-11-27T17:00:00Z") },
  ],
  deadlines: [
    {
      key: "cancellation_window_ends",
      rule: "CAN-1",
      label: "Cancellation window ends",
      at: at("2026-11-25T17:00:00Z"),
      settled: true,
    },
    { key: "ship_by", rule: "TML-2", label: "Ship by", at: at("2026-12-01T04:59:59.999Z"), settled: false },
    {
      key: "delivery_expected_by",
      rule: "TML-3",
      label: "Delivery expected by",
      at: at("2026-12-01T04:59:59.999Z"),
      settled: false,
    },
    {
      key: "return_request_by",
      rule: "RET-1",
      label: "Return must be requested by",
      at: at("2026-12-20T04:59:59.999Z"),
      settled: false,
    },
  ],
  now: at("2026-12-02T17:00:00Z"),
  calendar,
});
const day = (date: string) => picture.days.find((d) => d.date === date)!;

describe("timeline picture layout", () => {
  it("lays store days from the day before the first item to the day after the last, weekends and holidays not business days", () => {
    expect(picture.days[0]!.date).toBe("2026-11-24");
    expect(picture.days.at(-1)!.date).toBe("2026-12-20");
    expect(day("2026-11-26")).toMatchObject({ business: false, holiday: "Thanksgiving Day", weekday: "T" });
    expect(day("2026-11-28")).toMatchObject({ business: false, holiday: null, weekday: "S", businessDay: null });
    expect(day("2026-11-27")).toMatchObject({ business: true, businessDay: 1 });
    expect(day("2026-11-30")).toMatchObject({ business: true, businessDay: 2 });
    expect(day("2026-11-25").businessDay).toBe(0);
    expect(day("2026-12-01").month).toBe("Dec");
    expect(day("2026-11-25").x - day("2026-11-24").x).toBe(DAY);
  });

  it("puts each event at its real store time of day", () => {
    const placed = picture.events.find((e) => e.kind === "placed")!;
    expect(placed.x).toBeCloseTo(day("2026-11-25").x + (10 / 24) * DAY, 6);
    const shipped = picture.events.find((e) => e.kind === "shipped")!;
    expect(shipped.x).toBeCloseTo(day("2026-11-27").x + (12 / 24) * DAY, 6);
  });

  it("marks a passed deadline whose event has not happened as overdue, a settled one as settled", () => {
    const state = Object.fromEntries(picture.deadlines.map((d) => [d.key, d.state]));
    expect(state).toEqual({
      cancellation_window_ends: "settled",
      ship_by: "overdue",
      delivery_expected_by: "overdue",
      return_request_by: "pending",
    });
    expect(picture.now!.x).toBeCloseTo(day("2026-12-02").x + (12 / 24) * DAY, 6);
  });

  it("writes labels that would overlap in different rows", () => {
    const [a, b] = picture.deadlines.filter((d) => d.key === "ship_by" || d.key === "delivery_expected_by");
    expect(a!.x).toBe(b!.x);
    expect(new Set([a!.lane, b!.lane])).toEqual(new Set([0, 1]));
    expect(picture.deadlines.find((d) => d.key === "return_request_by")!.lane).toBe(0);
    expect(picture.stripTop).toBeGreaterThan(Math.max(...picture.deadlines.map((d) => d.labelY)));
  });

  it("measures a day by its real length when daylight saving ends (a 25-hour day)", () => {
    const noon = at("2026-11-01T17:00:00Z"); // 12:00 EST, 13 hours after midnight EDT
    const p = timelinePicture({
      placedAt: noon,
      events: [{ kind: "placed", label: "Placed", at: noon }],
      deadlines: [],
      now: noon,
      calendar,
    });
    const sunday = p.days.find((d) => d.date === "2026-11-01")!;
    expect(p.events[0]!.x).toBeCloseTo(sunday.x + (13 / 25) * DAY, 6);
  });

  it("draws at most maxDays days and counts what falls after them", () => {
    const p = timelinePicture(
      {
        placedAt,
        events: [],
        deadlines: [{ key: "far", rule: "TML-7", label: "Far", at: at("2027-03-01T12:00:00Z"), settled: false }],
        now: placedAt,
        calendar,
      },
      { maxDays: 30 },
    );
    expect(p.days).toHaveLength(30);
    expect(p.deadlines).toEqual([]);
    expect(p.left).toBe(1);
  });
});
