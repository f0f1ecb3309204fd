import { localDateOf, startOfLocalDay } from "./calendar";
import { isSettled, orderDeadlines, type DeadlineKey, type OrderFacts } from "./deadlines";
import { formatMoney, type Money } from "./money";
import { PRESETS, type PresetName } from "./presets";
import type { RuleId } from "./rules";
import type { PolicySettings } from "./settings";
import { SETTING_FIELDS, type SettingField } from "./settings-form";
import { policySummary } from "./summary";

/** One setting that differs, shown as a person reads it. */
export interface SettingChange {
  path: string;
  rule: RuleId;
  label: string;
  before: string;
  after: string;
}

/** A rule whose meaning changes, as the home page's rule table words it. */
export interface RuleChange {
  rule: RuleId;
  before: string;
  after: string;
}

function read(settings: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], settings);
}

function shown(field: SettingField, value: unknown): string {
  if (value === null || value === undefined) {
    if (field.kind === "countries") return "every country";
    return "none";
  }
  if (field.kind === "money" || field.kind === "moneyOrNone") return formatMoney(value as Money);
  if (field.kind === "switch") return value ? "on" : "off";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  const choice = field.choices?.find((c) => c.value === value);
  return choice ? choice.label : String(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every field whose value differs, in the page's order. */
export function settingChanges(before: PolicySettings, after: PolicySettings): SettingChange[] {
  return SETTING_FIELDS.flatMap((field) => {
    const a = read(before, field.path);
    const b = read(after, field.path);
    return same(a, b)
      ? []
      : [{ path: field.path, rule: field.rule, label: field.label, before: shown(field, a), after: shown(field, b) }];
  });
}

/** The rules whose summary reads differently under the new settings. */
export function ruleChanges(before: PolicySettings, after: PolicySettings): RuleChange[] {
  const old = new Map(policySummary(before).map((r) => [r.rule, r.summary]));
  return policySummary(after).flatMap((r) =>
    old.get(r.rule) === r.summary ? [] : [{ rule: r.rule, before: old.get(r.rule) ?? "", after: r.summary }],
  );
}

/** The preset these settings are exactly, or "custom". */
export function matchingPreset(settings: PolicySettings): PresetName | "custom" {
  const found = (Object.keys(PRESETS) as PresetName[]).find((name) => same(PRESETS[name], settings));
  return found ?? "custom";
}

export interface OrderForDiff {
  id: string;
  name: string;
  facts: OrderFacts;
}

/** A deadline of one order that the new settings move, add or drop. */
export interface DeadlineShift {
  key: DeadlineKey;
  rule: RuleId;
  from: Date | null;
  to: Date | null;
  /** to − from in milliseconds (null when the deadline appears or disappears). */
  byMs: number | null;
}

export interface OrderShift {
  orderId: string;
  name: string;
  shifts: DeadlineShift[];
}

export interface DeadlineImpact {
  /** Orders looked at (open: not cancelled). */
  orders: number;
  /** Of those, the orders with at least one open deadline that moves, appears or disappears. */
  ordersAffected: number;
  deadlinesMoved: number;
  /** The first affected orders, each with its shifts. */
  sample: OrderShift[];
}

/**
 * How the new settings move each open order's deadlines: every deadline still
 * waiting for its event (not settled) under either settings, compared by key.
 */
export function deadlineImpact(
  orders: readonly OrderForDiff[],
  before: PolicySettings,
  after: PolicySettings,
  sampleSize = 5,
): DeadlineImpact {
  let ordersAffected = 0;
  let deadlinesMoved = 0;
  const sample: OrderShift[] = [];
  const open = orders.filter((o) => !o.facts.cancelledAt);
  for (const order of open) {
    const pending = (settings: PolicySettings) =>
      new Map(
        orderDeadlines(order.facts, settings)
          .filter((d) => !isSettled(d, order.facts))
          .map((d) => [d.key, d]),
      );
    const was = pending(before);
    const will = pending(after);
    const shifts: DeadlineShift[] = [];
    for (const key of new Set([...was.keys(), ...will.keys()])) {
      const a = was.get(key);
      const b = will.get(key);
      if (a && b && a.at.getTime() === b.at.getTime()) continue;
      shifts.push({
        key,
        rule: (b ?? a)!.rule,
        from: a?.at ?? null,
        to: b?.at ?? null,
        byMs: a && b ? b.at.getTime() - a.at.getTime() : null,
      });
    }
    if (!shifts.length) continue;
    ordersAffected++;
    deadlinesMoved += shifts.length;
    if (sample.length < sampleSize) sample.push({ orderId: order.id, name: order.name, shifts });
  }
  return { orders: open.length, ordersAffected, deadlinesMoved, sample };
}

const DAY_MS = 86_400_000;

/** Calendar days between two store dates, when both instants are at the same store time of day. */
function wholeDaysApart(from: Date, to: Date, timeZone: string): number | null {
  const day = (at: Date) => localDateOf(at, timeZone);
  const timeOfDay = (at: Date) => at.getTime() - startOfLocalDay(day(at), timeZone).getTime();
  if (timeOfDay(from) !== timeOfDay(to)) return null;
  return Math.round((Date.parse(`${day(to)}T00:00:00Z`) - Date.parse(`${day(from)}T00:00:00Z`)) / DAY_MS);
}

/**
 * How far a deadline moves, as a person says it: "16 days later" (store days,
 * so a daylight-saving change does not read as "15 days 23 hours"), else
 * "2 days 3 hours earlier", "45 minutes later".
 */
export function describeShift(shift: { from: Date; to: Date }, timeZone: string): string {
  const byMs = shift.to.getTime() - shift.from.getTime();
  const direction = byMs > 0 ? "later" : "earlier";
  const days = wholeDaysApart(shift.from, shift.to, timeZone);
  if (days !== null && days !== 0) return `${Math.abs(days)} day${Math.abs(days) === 1 ? "" : "s"} ${direction}`;
  return durationText(byMs, direction);
}

function durationText(byMs: number, direction: string): string {
  let minutes = Math.round(Math.abs(byMs) / 60_000);
  const days = Math.floor(minutes / 1_440);
  minutes -= days * 1_440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [
    days ? `${days} day${days === 1 ? "" : "s"}` : "",
    hours ? `${hours} hour${hours === 1 ? "" : "s"}` : "",
    minutes && !days ? `${minutes} minute${minutes === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length ? `${parts.join(" ")} ${direction}` : "unchanged";
}
