import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Button, Card, DataTable, Layout, Page, Text, Tooltip } from "@shopify/polaris";
import type { ReactNode } from "react";
import prisma from "../db.server";
import { loadAttention, loadHome } from "../services/shops/home.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const settings = await shopSettings(session.shop);
  const now = new Date();
  const [home, attention] = await Promise.all([
    loadHome(admin, prisma, settings, now),
    loadAttention(prisma, session.shop, settings, now),
  ]);
  return { ...home, ...attention };
};

export default function PolicyHome() {
  const { shop, timeZone, orders, rules, dueSoon, alerts, bandAdjustments } = useLoaderData<typeof loader>();
  return (
    <Page fullWidth>
      <TitleBar title="Policy Guard" />
      <Layout>
        <Layout.Section variant="oneHalf">
          <AttentionCard
            title="Needs attention"
            empty="No deadline has passed without its event."
            headings={["Order", "Alert", "Since", ""]}
            rows={alerts.map((a) => [a.order, `${a.rule} ${a.label}`, a.since, <AlertAction key={a.id} alert={a} />])}
          />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <AttentionCard
            title="Due in the next 24 hours"
            empty="Nothing is due in the next 24 hours."
            headings={["Order", "Deadline", "Due"]}
            rows={dueSoon.map((d) => [d.order, `${d.rule} ${d.label}`, d.at])}
          />
        </Layout.Section>
        {bandAdjustments.length > 0 && (
          <Layout.Section>
            <AttentionCard
              title="Band adjustments before shipping"
              empty=""
              headings={["Order", "Watch", "Wrist size"]}
              rows={bandAdjustments.map((b) => [b.order, b.item, b.wristSize])}
            />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Recent orders at {shop.name}
              </Text>
              <Text as="p" tone="subdued">
                {shop.myshopifyDomain} · deadlines in {timeZone}, business days skip weekends and US federal holidays
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                headings={["Order", "Placed", "Customer", "Status", "Returns (RET-3)", "Next deadline"]}
                rows={orders.map((o) => [
                  <Link key={o.id} to={o.url}>
                    {o.name}
                  </Link>,
                  o.placedAt,
                  o.customer,
                  o.status,
                  <Tooltip key={o.id} content={o.paymentNote}>
                    <Badge tone={o.returnable ? "success" : "warning"}>{o.payment}</Badge>
                  </Tooltip>,
                  o.nextDeadline ? `${o.nextDeadline.rule} ${o.nextDeadline.label}: ${o.nextDeadline.at}` : "—",
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Store policy
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

/** TML-6: the unpaid payment-on-delivery alert's one-click cancel, posted to the order page (which says what happened). */
function AlertAction({ alert }: { alert: { kind: string; orderNumber: string } }) {
  if (alert.kind !== "payment_on_delivery_overdue") return null;
  return (
    <Form method="post" action={`/app/orders/${alert.orderNumber}`}>
      <input type="hidden" name="intent" value="cancel-unpaid" />
      <Button submit size="slim" tone="critical">
        Cancel order
      </Button>
    </Form>
  );
}

function AttentionCard({
  title,
  empty,
  headings,
  rows,
}: {
  title: string;
  empty: string;
  headings: string[];
  rows: ReactNode[][];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        ) : (
          <DataTable columnContentTypes={headings.map(() => "text" as const)} headings={headings} rows={rows} />
        )}
      </BlockStack>
    </Card>
  );
}
