import type { ReactNode, SVGProps } from "react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  EmptyState,
  List,
  Link,
  ProgressBar,
  ResourceItem,
  ResourceList,
  Text,
  Thumbnail,
} from "@shopify/polaris";
import type { InventoryAuditView, InventoryFindingView } from "../services/inventory/inventory-guard.server";

/** "Checked 40 of 120 variants" while an audit runs; "Counting variants…" before it knows how many. */
export function auditProgressText(audit: { checked: number; total: number | null }): string {
  if (audit.total === null) return "Counting variants…";
  const total = Math.max(audit.total, audit.checked);
  return `Checked ${audit.checked} of ${total} ${total === 1 ? "variant" : "variants"}`;
}

/** Whether an audit has ever completed: only then can the variants be called safe. */
export function hasCompletedAudit(audit: InventoryAuditView): boolean {
  if (audit.status === "done") return true;
  if (audit.status === "not_checked") return false;
  return audit.lastCompletedAt !== null;
}

/** Where the audit stands: never run, running with its progress, done at a time, or failed and why. */
export function InventoryAuditStatus({ audit, action }: { audit: InventoryAuditView; action?: ReactNode }) {
  switch (audit.status) {
    case "not_checked":
      return (
        <Banner tone="warning" title="Not checked yet">
          <BlockStack gap="200">
            <p>
              Policy Guard has not read this store&apos;s variants from Shopify yet, so it cannot say whether a
              one-of-a-kind item can be sold twice. The first check starts when the app is installed.
            </p>
            {action}
          </BlockStack>
        </Banner>
      );
    case "running": {
      const progress = audit.total ? Math.min(100, Math.round((audit.checked / audit.total) * 100)) : 0;
      return (
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Checking inventory
            </Text>
            <ProgressBar progress={progress} size="small" />
            <Text as="p">{auditProgressText(audit)}</Text>
            <Text as="p" tone="subdued" breakWord>
              {audit.lastCompletedAt
                ? `Until it finishes, the list below is from the check of ${audit.lastCompletedAt} and the changes Shopify has reported since.`
                : "Not checked yet: problems appear below as variants are read."}
            </Text>
          </BlockStack>
        </Card>
      );
    }
    case "done":
      return (
        <Text as="p" tone="subdued">
          Last checked {audit.completedAt} ({audit.checked} {audit.checked === 1 ? "variant" : "variants"}).
        </Text>
      );
    case "failed":
      return (
        <Banner tone="critical" title="The inventory check failed">
          <BlockStack gap="200">
            <Text as="p" breakWord>
              {audit.message}
            </Text>
            <p>
              {audit.lastCompletedAt
                ? `The list below is from the check of ${audit.lastCompletedAt} and the changes Shopify has reported since.`
                : "No check has completed yet, so nothing is known to be safe."}
            </p>
            {action}
          </BlockStack>
        </Banner>
      );
  }
}

/** Shown in place of a product photo when the product has none. */
function NoImage(props: SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" {...props}>
      <path
        fillRule="evenodd"
        d="M4.5 3A1.5 1.5 0 0 0 3 4.5v11A1.5 1.5 0 0 0 4.5 17h11a1.5 1.5 0 0 0 1.5-1.5v-11A1.5 1.5 0 0 0 15.5 3h-11Zm0 1.5h11v7.19l-2.72-2.72a.75.75 0 0 0-1.06 0L8.5 12.19l-1.22-1.22a.75.75 0 0 0-1.06 0L4.5 12.69V4.5Zm3 3.75a1.25 1.25 0 1 0 0-2.5 1.25 1.25 0 0 0 0 2.5Z"
      />
    </svg>
  );
}

/**
 * The one-of-a-kind variants that can be oversold: photo, product (a link to it
 * in the Shopify admin), variant, units available and every problem, wrapping
 * inside the card however long. Once an audit has completed with nothing
 * found, says the variants are safe; before that, says nothing of the kind.
 */
export function InventoryFindingsCard({
  findings,
  auditCompleted,
}: {
  findings: InventoryFindingView[];
  auditCompleted: boolean;
}) {
  if (findings.length === 0) {
    if (!auditCompleted) return null;
    return (
      <Card>
        <EmptyState heading="Every one-of-a-kind variant is safe" image="">
          <p>Checked again whenever Shopify reports a product or inventory change.</p>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="200">
        <Text as="h2" variant="headingMd">
          {findings.length === 1
            ? "1 one-of-a-kind variant can be oversold"
            : `${findings.length} one-of-a-kind variants can be oversold`}
        </Text>
      </Box>
      <ResourceList
        resourceName={{ singular: "variant", plural: "variants" }}
        items={findings}
        renderItem={(finding) => (
          <ResourceItem
            id={finding.variantId}
            verticalAlignment="leading"
            accessibilityLabel={`Open ${finding.productTitle} in Shopify`}
            media={<Thumbnail source={finding.imageUrl ?? NoImage} alt={finding.productTitle} size="medium" />}
            onClick={() => window.open(finding.productAdminUrl, "_top")}
          >
            <BlockStack gap="100">
              <Text as="h3" variant="bodyMd" fontWeight="semibold" breakWord>
                <Link url={finding.productAdminUrl} target="_top" removeUnderline>
                  {finding.productTitle}
                </Link>
              </Text>
              {finding.variantTitle && (
                <Text as="p" tone="subdued" breakWord>
                  {finding.variantTitle}
                </Text>
              )}
              <Text as="p" tone="subdued">
                {finding.available} available
              </Text>
              <List type="bullet">
                {finding.problems.map((problem) => (
                  <List.Item key={problem.code}>
                    <Text as="span" breakWord>
                      {problem.message}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          </ResourceItem>
        )}
      />
    </Card>
  );
}
