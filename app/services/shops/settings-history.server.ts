import type { PrismaClient } from "@prisma/client";
import { parseSettings, type PolicySettings } from "../../policy";
import { settingChanges } from "../../policy/settings-diff";
import type { SyncReport } from "./settings-sync.server";

/** The shop's settings changes, newest first: when, by whom, what changed, and how the sync went. */
export async function settingsHistory(db: PrismaClient, shop: string, limit = 20) {
  const rows = await db.settingsChange.findMany({
    where: { shop },
    orderBy: [{ changedAt: "desc" }, { revision: "desc" }],
    take: limit,
  });
  return rows.map((row) => ({
    id: row.id,
    revision: row.revision,
    preset: row.preset,
    changedAt: row.changedAt.toISOString(),
    staff: row.staffName ?? row.staffId ?? "unknown",
    staffId: row.staffId,
    changes: settingChanges(parseSettings(row.before) as PolicySettings, parseSettings(row.after)),
    sync: (row.syncReport as unknown as SyncReport | null) ?? null,
  }));
}

export type SettingsHistoryEntry = Awaited<ReturnType<typeof settingsHistory>>[number];
