import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { SettingsHistoryEntry } from "../../services/shops/settings-history.server";
import { syncSummary } from "./sync-report";

/** Every saved change: when, who, the preset, what changed (before → after) and how the sync went. */
export function SettingsHistoryCard({
  history,
  timeZone,
  presetLabel,
}: {
  history: SettingsHistoryEntry[];
  timeZone: string;
  presetLabel: (preset: string) => string;
}) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Settings history
        </Text>
        {history.length === 0 ? (
          <Text as="p" tone="subdued">
            No change saved yet: the shop runs on the settings it was installed with.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["When", "Who", "Saved as", "Changes", "Sync"]}
            rows={history.map((h) => [
              `${format.format(new Date(h.changedAt))} (revision ${h.revision})`,
              h.staff,
              presetLabel(h.preset),
              <BlockStack key={h.id} gap="050">
                {h.changes.map((c) => (
                  <Text as="span" key={c.path}>
                    {c.rule} {c.label}: {c.before} → {c.after}
                  </Text>
                ))}
              </BlockStack>,
              syncSummary(h.sync),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
