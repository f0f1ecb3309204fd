import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { gatewayFor } from "./admin-gateway.server";
import { recomputeShopDeadlines } from "./deadline-store.server";
import { syncPolicy } from "./policy-sync.server";
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

export type SaveSettingsResult =
  | { ok: true; revision: number; checkoutSync: { ok: true } | { ok: false; message: string } }
  | { ok: false; problems: SettingsProblem[] };

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
  // Stored deadlines and checkout's Functions follow the new numbers.
  await recomputeShopDeadlines(prisma, domain);
  const checkoutSync = await gatewayFor(domain)
    .then((gateway) => syncPolicy(gateway, result.settings))
    .then(() => ({ ok: true as const }))
    .catch((error: Error) => ({ ok: false as const, message: error.message }));
  return { ok: true, revision: shop.settingsRevision, checkoutSync };
}

/**
 * On install: make checkout enforce the policy (policy sync), then queue the
 * last BACKFILL_DAYS of orders through reconciliation. Failures are logged; the
 * next settings save and the periodic pull retry them.
 */
export async function afterInstall(domain: string): Promise<void> {
  try {
    const gateway = await gatewayFor(domain);
    await syncPolicy(gateway, await shopSettings(domain)).catch((error) =>
      console.error(`policy sync for ${domain} failed:`, error),
    );
    await reconcileOrders(prisma, gateway);
  } catch (error) {
    console.error(`install of ${domain} did not finish:`, error);
  }
}
