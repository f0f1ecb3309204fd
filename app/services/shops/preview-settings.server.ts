import type { PrismaClient } from "@prisma/client";
import { deadlineLabel, parseSettings, presetSettings, type SettingsProblem } from "../../policy";
import { deadlineImpact, describeShift, matchingPreset, ruleChanges, settingChanges } from "../../policy/settings-diff";
import { checkSettingsForm, type FormSource } from "../../policy/settings-form";
import { factsFromTimeline } from "../orders/order-timeline.server";

export interface SettingsPreview {
  preset: string;
  changes: ReturnType<typeof settingChanges>;
  rules: ReturnType<typeof ruleChanges>;
  deadlines: {
    orders: number;
    ordersAffected: number;
    deadlinesMoved: number;
    sample: Array<{
      orderId: string;
      name: string;
      shifts: Array<{ rule: string; label: string; from: string; to: string; by: string }>;
    }>;
  };
}

/**
 * What saving the form would change, without saving anything: the settings and
 * rules that change, and how many open orders' deadlines move (computed by the
 * policy against the stored order facts), with a sample of how far.
 */
export async function previewSettings(
  db: PrismaClient,
  shop: string,
  form: FormSource,
  sampleSize = 5,
): Promise<{ ok: false; problems: SettingsProblem[] } | { ok: true; preview: SettingsPreview }> {
  const checked = checkSettingsForm(form);
  if (!checked.ok) return checked;
  const after = checked.settings;
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const before = row ? parseSettings(row.settings) : presetSettings();
  const orders = await db.order.findMany({
    where: { shop, cancelledAt: null },
    orderBy: { processedAt: "desc" },
    select: { id: true, name: true, processedAt: true, payments: true, shippingFacts: true, events: true },
  });
  const impact = deadlineImpact(
    orders.map((o) => ({ id: o.id, name: o.name, facts: factsFromTimeline(o, o.events) })),
    before,
    after,
    sampleSize,
  );
  const zone = after.calendar.timeZone;
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, dateStyle: "medium", timeStyle: "short" });
  return {
    ok: true,
    preview: {
      preset: matchingPreset(after),
      changes: settingChanges(before, after),
      rules: ruleChanges(before, after),
      deadlines: {
        ...impact,
        sample: impact.sample.map((order) => ({
          orderId: order.orderId,
          name: order.name,
          shifts: order.shifts.map((s) => ({
            rule: s.rule,
            label: deadlineLabel(s.key),
            from: s.from ? format.format(s.from) : "none",
            to: s.to ? format.format(s.to) : "none",
            by: s.from && s.to ? describeShift({ from: s.from, to: s.to }, zone) : s.to ? "new" : "no longer applies",
          })),
        })),
      },
    },
  };
}
