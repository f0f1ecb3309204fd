import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState } from "react";
import { ChartWithTable } from "../components/returns/chart-with-table";
import { analyticsView } from "../components/returns/analytics-view";
import prisma from "../db.server";
import { addCalendarDays, localDateOf, startOfLocalDay } from "../policy";
import { returnsAnalytics } from "../services/returns/returns-analytics.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await shopSettings(session.shop);
  const zone = settings.calendar.timeZone;
  const url = new URL(request.url);
  const today = localDateOf(new Date(), zone);
  const from = url.searchParams.get("from") || addCalendarDays(today, -29);
  const to = url.searchParams.get("to") || today;
  if (!DATE.test(from) || !DATE.test(to) || from > to)
    throw new Response("Choose a period as two dates, YYYY-MM-DD, the first not after the second.", { status: 400 });
  const period = { from: startOfLocalDay(from, zone), to: startOfLocalDay(addCalendarDays(to, 1), zone) };
  return { from, to, ...analyticsView(await returnsAnalytics(prisma, session.shop, period, settings)) };
};

export default function ReturnsAnalyticsPage() {
  const view = useLoaderData<typeof loader>();
  const [from, setFrom] = useState(view.from);
  const [to, setTo] = useState(view.to);
  return (
    <Page title="Returns analytics" backAction={{ content: "Returns", url: "/app/returns" }}>
      <TitleBar title="Returns analytics" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <Form method="get">
                <InlineStack gap="300" blockAlign="end">
                  <TextField label="From" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
                  <TextField label="To" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                  <Button submit>Show period</Button>
                </InlineStack>
              </Form>
            </Card>
            <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
              {view.figures.map((f) => (
                <Card key={f.label}>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm">
                      {f.label}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {f.value}
                    </Text>
                    <Text as="p" tone="subdued">
                      {f.detail}
                    </Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
            <ChartWithTable
              title="Return rate"
              series="Return rate %"
              headings={["Measured by", "Returned"]}
              rows={view.rates}
            />
            <ChartWithTable title="Reasons" series="Returns" headings={["Reason", "Returns"]} rows={view.reasons} />
            <ChartWithTable
              title="Requests refused, by rule"
              series="Refused"
              headings={["Rule", "Refused (value kept)"]}
              rows={view.refused}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
