import {
  addCalendarDays,
  businessDaysBetween,
  endOfLocalDay,
  holidayName,
  isBusinessDay,
  localDateOf,
  startOfLocalDay,
  weekdayOf,
  type LocalDate,
  type StoreCalendar,
} from "./calendar";

/**
 * The layout of one order's timeline picture: store days along the x axis
 * (weekends and holidays shaded, business days numbered from the order's day),
 * events as marks at their real time of day, each deadline as a line with its
 * rule id, overdue ones flagged. Pure numbers, so the SVG component only draws.
 */
export interface PictureEventInput {
  kind: string;
  label: string;
  at: Date;
}

export interface PictureDeadlineInput {
  key: string;
  rule: string;
  label: string;
  at: Date;
  /** The event it waits for has happened. */
  settled: boolean;
}

export interface PictureDay {
  date: LocalDate;
  x: number;
  width: number;
  business: boolean;
  /** Why a weekday is not a business day. */
  holiday: string | null;
  /** "M".."S" and the day of the month; the month's name on its first day and the picture's first. */
  weekday: string;
  dayOfMonth: number;
  month: string | null;
  /** Business days after the order's day (its day is 0); null on weekends and holidays. */
  businessDay: number | null;
}

export type DeadlineState = "overdue" | "pending" | "settled";

export interface PictureMark {
  x: number;
  /** Which row of labels it is written in (0 nearest the axis), so labels do not overlap. */
  lane: number;
  label: string;
  at: string;
}

export interface TimelinePicture {
  width: number;
  height: number;
  /** The day strip: from y = stripTop, stripHeight tall; the axis runs along axisY. */
  stripTop: number;
  stripHeight: number;
  axisY: number;
  laneHeight: number;
  days: PictureDay[];
  events: Array<PictureMark & { kind: string; y: number }>;
  deadlines: Array<PictureMark & { key: string; rule: string; state: DeadlineState; labelY: number }>;
  now: { x: number } | null;
  /** Items after the last day drawn (listed beside the picture, not drawn). */
  left: number;
}

export interface PictureOptions {
  dayWidth?: number;
  /** The most days drawn; later items are counted in `left`. */
  maxDays?: number;
  /** Estimated width of a label character, for lane assignment. */
  charWidth?: number;
}

const WEEKDAYS = ["M", "T", "W", "T", "F", "S", "S"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MARGIN = 16;
const LANE = 16;
const HEADER = 34;

/** Where an instant falls on the axis: its day's column plus the share of that store day gone (DST-aware). */
function xOf(at: Date, from: LocalDate, calendar: StoreCalendar, dayWidth: number): number {
  const date = localDateOf(at, calendar.timeZone);
  const index = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  const start = startOfLocalDay(date, calendar.timeZone).getTime();
  const length = endOfLocalDay(date, calendar.timeZone).getTime() + 1 - start;
  return MARGIN + (index + (at.getTime() - start) / length) * dayWidth;
}

/** Greedy rows: each label goes in the lowest row where it starts after the previous one there ends. */
function assignLanes<T extends { x: number; label: string }>(
  items: T[],
  charWidth: number,
): Array<T & { lane: number }> {
  const ends: number[] = [];
  return [...items]
    .sort((a, b) => a.x - b.x)
    .map((item) => {
      let lane = ends.findIndex((end) => end <= item.x);
      if (lane === -1) lane = ends.length;
      ends[lane] = item.x + item.label.length * charWidth + 8;
      return { ...item, lane };
    });
}

export function timelinePicture(
  input: {
    placedAt: Date;
    events: readonly PictureEventInput[];
    deadlines: readonly PictureDeadlineInput[];
    now: Date;
    calendar: StoreCalendar;
  },
  options: PictureOptions = {},
): TimelinePicture {
  const { calendar, now } = input;
  const dayWidth = options.dayWidth ?? 28;
  const maxDays = options.maxDays ?? 120;
  const charWidth = options.charWidth ?? 6.5;
  const zone = calendar.timeZone;
  const instants = [input.placedAt, ...input.events.map((e) => e.at), ...input.deadlines.map((d) => d.at)];
  const first = instants.reduce((a, b) => (a < b ? a : b));
  const last = [...instants, now].reduce((a, b) => (a > b ? a : b));
  const from = addCalendarDays(localDateOf(first, zone), -1);
  let to = addCalendarDays(localDateOf(last, zone), 1);
  const cap = addCalendarDays(from, maxDays - 1);
  if (to > cap) to = cap;
  const origin = localDateOf(input.placedAt, zone);

  const days: PictureDay[] = [];
  for (let date = from, i = 0; date <= to; date = addCalendarDays(date, 1), i++) {
    const business = isBusinessDay(date, calendar.holidays);
    const dayOfMonth = Number(date.slice(8));
    days.push({
      date,
      x: MARGIN + i * dayWidth,
      width: dayWidth,
      business,
      holiday: weekdayOf(date) <= 5 && !business ? (holidayName(date, calendar.holidays) ?? null) : null,
      weekday: WEEKDAYS[weekdayOf(date) - 1]!,
      dayOfMonth,
      month: i === 0 || dayOfMonth === 1 ? MONTHS[Number(date.slice(5, 7)) - 1]! : null,
      businessDay: business && date >= origin ? businessDaysBetween(origin, date, calendar.holidays) : null,
    });
  }
  const endX = MARGIN + days.length * dayWidth;
  const drawn = (at: Date) => localDateOf(at, zone) <= to;
  const x = (at: Date) => xOf(at, from, calendar, dayWidth);

  const deadlines = assignLanes(
    input.deadlines
      .filter((d) => drawn(d.at))
      .map((d) => ({
        key: d.key,
        rule: d.rule,
        label: d.rule,
        at: d.at.toISOString(),
        x: x(d.at),
        state: (d.settled ? "settled" : d.at.getTime() < now.getTime() ? "overdue" : "pending") as DeadlineState,
      })),
    charWidth,
  );
  const events = assignLanes(
    input.events
      .filter((e) => drawn(e.at))
      .map((e) => ({ kind: e.kind, label: e.label, at: e.at.toISOString(), x: x(e.at) })),
    charWidth,
  );
  const deadlineLanes = Math.max(1, ...deadlines.map((d) => d.lane + 1));
  const eventLanes = Math.max(1, ...events.map((e) => e.lane + 1));
  const stripTop = HEADER + deadlineLanes * LANE;
  const stripHeight = 40;
  const axisY = stripTop + stripHeight / 2;
  return {
    width: endX + MARGIN,
    height: stripTop + stripHeight + eventLanes * LANE + 8,
    stripTop,
    stripHeight,
    axisY,
    laneHeight: LANE,
    days,
    // Deadline labels above the strip (lane 0 nearest it), event labels below.
    deadlines: deadlines.map((d) => ({ ...d, labelY: stripTop - 4 - d.lane * LANE })),
    events: events.map((e) => ({ ...e, y: stripTop + stripHeight + 12 + e.lane * LANE })),
    now: drawn(now) && now >= startOfLocalDay(from, zone) ? { x: x(now) } : null,
    left: input.deadlines.filter((d) => !drawn(d.at)).length + input.events.filter((e) => !drawn(e.at)).length,
  };
}
