import { useEffect, useState } from "react";
import { BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";

export interface ChartRow {
  label: string;
  value: number;
  /** The value as the table shows it ("$1,200.00", "12 %"); the number itself when left out. */
  shown?: string;
}

/**
 * A bar chart (Shopify's polaris-viz) with the same figures in a table beside it. The chart
 * measures its container, which only a browser has: the server renders the table and the
 * chart appears once the page is hydrated.
 */
export function ChartWithTable(props: { title: string; series: string; rows: ChartRow[]; headings: [string, string] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const data = [{ name: props.series, data: props.rows.map((r) => ({ key: r.label, value: r.value })) }];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {props.title}
        </Text>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <div style={{ height: 240 }} data-chart={props.series}>
            {mounted && props.rows.length > 0 ? (
              <PolarisVizProvider>
                <BarChart data={data} theme="Light" showLegend={false} />
              </PolarisVizProvider>
            ) : (
              <Text as="p" tone="subdued">
                {props.rows.length ? "Loading chart…" : "Nothing in this period."}
              </Text>
            )}
          </div>
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={props.headings}
            rows={props.rows.map((r) => [r.label, r.shown ?? String(r.value)])}
          />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
