import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, List, Text } from "@shopify/polaris";
import type { HealthCheck, HealthState } from "../../policy/health";

const BADGES: Record<HealthState, { tone: "success" | "critical" | "warning" | "info"; label: string }> = {
  ok: { tone: "success", label: "OK" },
  drift: { tone: "warning", label: "Drift" },
  missing: { tone: "critical", label: "Missing" },
  unknown: { tone: "info", label: "Unknown" },
};

/** One dependency of the policy: its state, what was found, and its one-click fix or where to act. */
export function HealthCheckCard({ check, busy }: { check: HealthCheck; busy: boolean }) {
  const badge = BADGES[check.state];
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Badge tone={badge.tone}>{badge.label}</Badge>
          <Text as="h2" variant="headingSm">
            {check.title}
            {check.rules.length ? ` (${check.rules.join(", ")})` : ""}
          </Text>
        </InlineStack>
        <div data-check={check.id} data-state={check.state}>
          <Text as="p">{check.summary}</Text>
        </div>
        {check.details.length > 0 && (
          <List>
            {check.details.map((detail) => (
              <List.Item key={detail}>{detail}</List.Item>
            ))}
          </List>
        )}
        {(check.fix || check.link) && check.state !== "ok" && (
          <InlineStack gap="200">
            {check.fix && (
              <Form method="post">
                <input type="hidden" name="check" value={check.id} />
                <Button submit variant="primary" loading={busy}>
                  {check.fix.label}
                </Button>
              </Form>
            )}
            {check.link && <Button url={check.link.url}>{check.link.label}</Button>}
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}
