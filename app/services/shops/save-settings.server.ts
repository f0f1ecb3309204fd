import type { Prisma, PrismaClient } from "@prisma/client";
import {
  parseSettings,
  presetSettings,
  validateSettings,
  type PolicySettings,
  type SettingsProblem,
} from "../../policy";
import { matchingPreset, settingChanges } from "../../policy/settings-diff";
import { checkSettingsForm, type FormSource } from "../../policy/settings-form";
import { syncSavedSettings, type OpenGateway, type SyncReport } from "./settings-sync.server";
import type { Staff } from "./staff.server";

export type SaveShopSettingsResult =
  | { ok: false; problems: SettingsProblem[] }
  | { ok: true; unchanged: true; revision: number }
  | { ok: true; unchanged: false; revision: number; changeId: string; preset: string; report: SyncReport };

export interface SaveShopSettingsRequest {
  shop: string;
  /** The settings page's form, or settings as data. */
  form?: FormSource;
  input?: unknown;
  staff: Staff;
  /** The revision the page showed: a save over someone else's newer one is refused. */
  expectedRevision?: number;
  now: Date;
  openGateway?: OpenGateway;
}

const json = (settings: PolicySettings) => settings as unknown as Prisma.InputJsonValue;

/**
 * Save a shop's settings: validated first (every problem at its field, and then
 * nothing is written or sent to Shopify), stored with a history row (who, when,
 * before and after), then synced to checkout and the deadlines, each step's
 * outcome kept on the history row.
 */
export async function saveShopSettings(
  db: PrismaClient,
  request: SaveShopSettingsRequest,
): Promise<SaveShopSettingsResult> {
  const { shop, staff, now } = request;
  const checked = request.form ? checkSettingsForm(request.form) : validateSettings(request.input);
  if (!checked.ok) return checked;
  const after = checked.settings;
  const row = await db.shop.findUnique({ where: { domain: shop } });
  if (row && request.expectedRevision !== undefined && row.settingsRevision !== request.expectedRevision)
    return { ok: false, problems: [conflict(row.settingsRevision)] };
  const before = row ? parseSettings(row.settings) : presetSettings();
  if (row && settingChanges(before, after).length === 0)
    return { ok: true, unchanged: true, revision: row.settingsRevision };

  const preset = matchingPreset(after);
  const saved = await db.$transaction(async (tx) => {
    let revision: number;
    if (row) {
      // Only over the revision read above: two saves at once cannot both win.
      const updated = await tx.shop.updateMany({
        where: { domain: shop, settingsRevision: row.settingsRevision },
        data: { settings: json(after), preset, settingsRevision: { increment: 1 } },
      });
      if (updated.count === 0) return null;
      revision = row.settingsRevision + 1;
    } else {
      revision = (await tx.shop.create({ data: { domain: shop, settings: json(after), preset } })).settingsRevision;
    }
    const change = await tx.settingsChange.create({
      data: {
        shop,
        revision,
        preset,
        staffId: staff.id,
        staffName: staff.name,
        before: json(before),
        after: json(after),
        changedAt: now,
      },
    });
    return { revision, changeId: change.id };
  });
  if (!saved) {
    const current = await db.shop.findUniqueOrThrow({ where: { domain: shop } });
    return { ok: false, problems: [conflict(current.settingsRevision)] };
  }
  const report = await syncSavedSettings(db, shop, after, { now, attempt: 1, openGateway: request.openGateway });
  await db.settingsChange.update({
    where: { id: saved.changeId },
    data: { syncReport: report as unknown as Prisma.InputJsonValue },
  });
  return { ok: true, unchanged: false, ...saved, preset, report };
}

function conflict(revision: number): SettingsProblem {
  return {
    path: "(settings)",
    message: `The settings were changed (now revision ${revision}) since this page was opened: reload the page and make your change again.`,
  };
}

/**
 * Run the sync of the latest change again (after Shopify refused a step or
 * could not be reached): every step is idempotent, so this completes it. Only
 * the latest change: an older one would push settings that are no longer saved.
 */
export async function retrySettingsSync(
  db: PrismaClient,
  shop: string,
  options: { now: Date; openGateway?: OpenGateway },
): Promise<{ ok: false; problems: SettingsProblem[] } | { ok: true; changeId: string; report: SyncReport }> {
  const [latest, row] = await Promise.all([
    db.settingsChange.findFirst({ where: { shop }, orderBy: [{ revision: "desc" }, { changedAt: "desc" }] }),
    db.shop.findUnique({ where: { domain: shop } }),
  ]);
  if (!latest || !row)
    return {
      ok: false,
      problems: [
        { path: "(settings)", message: "No settings change has been saved yet, so there is nothing to retry." },
      ],
    };
  const previous = latest.syncReport as unknown as SyncReport | null;
  const report = await syncSavedSettings(db, shop, parseSettings(row.settings), {
    now: options.now,
    attempt: (previous?.attempt ?? 0) + 1,
    openGateway: options.openGateway,
  });
  await db.settingsChange.update({
    where: { id: latest.id },
    data: { syncReport: report as unknown as Prisma.InputJsonValue },
  });
  return { ok: true, changeId: latest.id, report };
}
