import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { gatewayFor } from "./admin-gateway.server";
import { recomputeShopDeadlines } from "./deadline-store.server";
import { reconcileOrders } from "./reconcile.server";
import {
  parseSettings,
  presetSettings,
  PRESETS,
  validateSettings,
  type PolicySettings,
  type PresetName,
  type SettingsProblem,
} from "../policy";

/** The shop's row, created with the default preset on first install. */
export async function ensureShop(domain: string) {
  const settings = presetSettings() as unknown as Prisma.InputJsonValue;
  return prisma.shop.upsert({
    where: { domain },
    create: { domain, settings },
    update: { uninstalledAt: null },
  });
}

export async function shopSettings(domain: string): Promise<PolicySettings> {
  const shop = await prisma.shop.findUnique({ where: { domain } });
  if (!shop) return presetSettings();
  return parseSettings(shop.settings);
}

export type SaveSettingsResult = { ok: true; revision: number } | { ok: false; problems: SettingsProblem[] };

/** Validates first: invalid settings are reported field by field and nothing is written. */
export async function saveSettings(domain: string, input: unknown, preset?: PresetName): Promise<SaveSettingsResult> {
  const result = validateSettings(input);
  if (!result.ok) return result;
  if (preset && !(preset in PRESETS))
    return { ok: false, problems: [{ path: "preset", message: `unknown preset "${preset}"` }] };
  const settings = result.settings as unknown as Prisma.InputJsonValue;
  const shop = await prisma.shop.upsert({
    where: { domain },
    create: { domain, settings, preset: preset ?? "custom" },
    update: { settings, preset: preset ?? "custom", settingsRevision: { increment: 1 } },
  });
  // Stored deadlines follow the new numbers.
  await recomputeShopDeadlines(prisma, domain);
  return { ok: true, revision: shop.settingsRevision };
}

/** On install: queue the last BACKFILL_DAYS of orders through reconciliation. */
export async function backfillOrders(domain: string): Promise<void> {
  try {
    await reconcileOrders(prisma, await gatewayFor(domain));
  } catch (error) {
    console.error(`backfill of ${domain} failed; the periodic pull will retry:`, error);
  }
}
