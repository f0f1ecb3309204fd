import type { Prisma } from "@prisma/client";
import prisma from "../../db.server";
import { gatewayFor, type AdminGateway } from "../shopify/admin-gateway.server";
import { beginInventoryAudit, completeInventoryAudit, failInventoryAudit } from "../inventory/inventory-guard.server";
import { syncPolicy } from "../checkout/policy-sync.server";
import { reconcileOrders } from "../orders/reconcile.server";
import {
  parseSettings,
  presetSettings,
  PRESETS,
  type PolicySettings,
  type PresetName,
  type SettingsProblem,
} from "../../policy";
import { saveShopSettings } from "./save-settings.server";
import type { SyncReport } from "./settings-sync.server";
import { OFFLINE_STAFF } from "./staff.server";

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
  | { ok: true; revision: number; checkoutSync: { ok: true } | { ok: false; message: string }; report?: SyncReport }
  | { ok: false; problems: SettingsProblem[] };

/**
 * Settings as data (no page, no staff member): validated first, then saved with
 * a history row, synced and the deadlines recomputed (save-settings.server.ts).
 */
export async function saveSettings(
  domain: string,
  input: unknown,
  preset?: PresetName,
  now = new Date(),
): Promise<SaveSettingsResult> {
  if (preset && !(preset in PRESETS))
    return { ok: false, problems: [{ path: "preset", message: `unknown preset "${preset}"` }] };
  const result = await saveShopSettings(prisma, { shop: domain, input, staff: { id: null, name: OFFLINE_STAFF }, now });
  if (!result.ok) return result;
  if (result.unchanged) return { ok: true, revision: result.revision, checkoutSync: { ok: true } };
  const failed = result.report.steps.find((s) => s.status === "failed" && s.step !== "deadlines");
  return {
    ok: true,
    revision: result.revision,
    checkoutSync: failed ? { ok: false, message: failed.detail } : { ok: true },
    report: result.report,
  };
}

/**
 * On install, without holding up the merchant's first page: the first full
 * inventory audit (INV-2) runs alongside policy sync (checkout enforces the
 * policy) followed by the backfill of the last BACKFILL_DAYS of orders through
 * reconciliation. The audit is recorded as running before anything else, so
 * the inventory guard page shows its progress from the start, and its outcome
 * (done or failed, with why) is stored for the page. Other failures are
 * logged; the next settings save and the periodic pull retry them.
 */
export async function afterInstall(
  domain: string,
  openGateway: (shop: string) => Promise<AdminGateway> = gatewayFor,
): Promise<void> {
  const audit = await beginInventoryAudit(prisma, domain).catch((error) => {
    console.error(`inventory audit for ${domain} could not start:`, error);
    return null;
  });
  let gateway: AdminGateway;
  try {
    gateway = await openGateway(domain);
  } catch (error) {
    if (audit) await failInventoryAudit(prisma, audit, error as Error);
    console.error(`install of ${domain} did not finish:`, error);
    return;
  }
  await Promise.all([
    audit ? completeInventoryAudit(prisma, gateway, audit) : null,
    (async () => {
      await syncPolicy(gateway, await shopSettings(domain)).catch((error) =>
        console.error(`policy sync for ${domain} failed:`, error),
      );
      await reconcileOrders(prisma, gateway);
    })().catch((error) => console.error(`order backfill for ${domain} did not finish:`, error)),
  ]);
}
