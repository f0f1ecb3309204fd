import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { policySummary } from "../policy";
import { shopSettings } from "../services/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await shopSettings(session.shop);
  return { shop: session.shop, timeZone: settings.calendar.timeZone, rules: policySummary(settings) };
};

export default function PolicyHome() {
  const { shop, timeZone, rules } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Policy Guard" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Store policy for {shop}
              </Text>
              <Text as="p" tone="subdued">
                Times in {timeZone}; business days skip weekends and US federal holidays.
              </Text>
              <DataTable
                columnContentTypes={["text", "text"]}
                headings={["Rule", "What it enforces"]}
                rows={rules.map((r) => [<Badge key={r.rule}>{r.rule}</Badge>, r.summary])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
