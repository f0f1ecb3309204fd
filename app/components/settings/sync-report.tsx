import type { ReactNode } from "react";
import { Badge, Banner, BlockStack, List, Text } from "@shopify/polaris";
import type { SyncReport } from "../../services/shops/settings-sync.server";

const TONES = { done: "success", failed: "critical", not_run: undefined } as const;
const WORDS = { done: "Done", failed: "Failed", not_run: "Not run" } as const;

/** Each step of the sync after a save, with Shopify's userErrors where Shopify refused one. */
export function SyncReportBanner({ report, title, action }: { report: SyncReport; title: string; action?: ReactNode }) {
  const failed = report.steps.find((s) => s.status === "failed");
  return (
    <Banner tone={report.ok ? "success" : "critical"} title={failed ? `${title}: "${failed.label}" failed` : title}>
      <BlockStack gap="200">
        <List>
          {report.steps.map((step) => (
            <List.Item key={step.step}>
              <Badge tone={TONES[step.status]}>{WORDS[step.status]}</Badge> {step.label}
              {step.detail ? ` — ${step.detail}` : ""}
              {step.userErrors.length > 0 && (
                <List>
                  {step.userErrors.map((e, i) => (
                    <List.Item key={i}>
                      Shopify: {e.message}
                      {e.field ? ` (${e.field.join(".")})` : ""}
                      {e.code ? ` [${e.code}]` : ""}
                    </List.Item>
                  ))}
                </List>
              )}
            </List.Item>
          ))}
        </List>
        {!report.ok && (
          <Text as="p">
            The settings are saved; checkout does not enforce them fully until the sync completes. Every step is safe to
            run again.
          </Text>
        )}
        {action}
      </BlockStack>
    </Banner>
  );
}

/** One line for the history table. */
export function syncSummary(report: SyncReport | null): string {
  if (!report) return "Did not report (interrupted)";
  const failed = report.steps.find((s) => s.status === "failed");
  const attempts = report.attempt > 1 ? ` after ${report.attempt} attempts` : "";
  return failed ? `Failed at: ${failed.label}` : `Complete${attempts}`;
}
