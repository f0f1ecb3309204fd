import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, List, Text } from "@shopify/polaris";
import type { SettingsPreview } from "../../services/shops/preview-settings.server";

/** What saving would change: settings, rules, and how open orders' deadlines move (a sample of how far). */
export function SettingsPreviewCard({ preview, presetLabel }: { preview: SettingsPreview; presetLabel: string }) {
  const { changes, rules, deadlines } = preview;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          What saving would change
        </Text>
        {changes.length === 0 ? (
          <Text as="p">Nothing: the form matches the saved settings.</Text>
        ) : (
          <>
            <Text as="p">
              {changes.length} setting{changes.length === 1 ? "" : "s"} change (would be saved as {presetLabel}):
            </Text>
            <List>
              {changes.map((c) => (
                <List.Item key={c.path}>
                  <Badge>{c.rule}</Badge> {c.label}: {c.before} → {c.after}
                </List.Item>
              ))}
            </List>
          </>
        )}
        {rules.length > 0 && (
          <>
            <Text as="h3" variant="headingSm">
              Rules that read differently
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "text"]}
              headings={["Rule", "Now", "After saving"]}
              rows={rules.map((r) => [r.rule, r.before, r.after])}
            />
          </>
        )}
        <Text as="h3" variant="headingSm">
          Deadlines of open orders
        </Text>
        <Text as="p">
          {deadlines.ordersAffected} of {deadlines.orders} open orders have deadlines that move (
          {deadlines.deadlinesMoved} deadline{deadlines.deadlinesMoved === 1 ? "" : "s"}).
        </Text>
        {deadlines.sample.length > 0 && (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Order", "Deadline", "Now", "After saving", "Moves"]}
            rows={deadlines.sample.flatMap((order) =>
              order.shifts.map((s, i) => [
                <Link key={`${order.orderId}-${i}`} to={`/app/orders/${order.orderId.split("/").pop()}`}>
                  {order.name}
                </Link>,
                `${s.rule} ${s.label}`,
                s.from,
                s.to,
                s.by,
              ]),
            )}
          />
        )}
      </BlockStack>
    </Card>
  );
}
