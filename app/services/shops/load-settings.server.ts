import type { PrismaClient } from "@prisma/client";
import { parseSettings, presetSettings, PRESETS, type PresetName } from "../../policy";
import { COUNTRY_CODES } from "../../policy/countries";
import { formValues, PRESET_LABELS } from "../../policy/settings-form";
import { settingsHistory } from "./settings-history.server";

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/** Every IANA zone this server knows, for the searchable list (the policy accepts the same). */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

/**
 * The settings page: the saved settings as the form shows them (or a preset's,
 * when one is picked, not yet saved), the choices for time zone and countries,
 * and the history with the latest sync's outcome.
 */
export async function loadSettingsPage(db: PrismaClient, shop: string, picked: string | null) {
  const row = await db.shop.findUnique({ where: { domain: shop } });
  const saved = row ? parseSettings(row.settings) : presetSettings();
  const preset = picked && picked in PRESETS ? (picked as PresetName) : null;
  const history = await settingsHistory(db, shop);
  return {
    revision: row?.settingsRevision ?? 0,
    savedPreset: (row?.preset ?? "allu") as PresetName | "custom",
    picked: preset,
    values: formValues(preset ? presetSettings(preset) : saved, saved.currency),
    currency: saved.currency,
    timeZone: saved.calendar.timeZone,
    presets: Object.entries(PRESET_LABELS).map(([value, label]) => ({ value, label })),
    timeZones: timeZones(),
    countries: COUNTRY_CODES.map((code) => ({ code, name: regionNames.of(code) ?? code })),
    history,
    /** The latest change's sync when it did not complete (or never reported): the page offers to run it again. */
    unfinishedSync:
      history[0] && !history[0].sync?.ok ? { revision: history[0].revision, report: history[0].sync } : null,
  };
}
