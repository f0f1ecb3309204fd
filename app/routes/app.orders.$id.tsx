import type { ReactNode } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { OrderTimelinePicture } from "../components/order-timeline-picture";
import prisma from "../db.server";
import { loadOrderView, OrderNotFoundError, orderGid } from "../services/orders/order-view.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = orderGid(params.id ?? "");
  if (!id) throw new Response("An order id is Shopify's number for it, e.g. /app/orders/5551234567.", { status: 400 });
  try {
    return await loadOrderView(prisma, session.shop, id, await shopSettings(session.shop), new Date());
  } catch (error) {
    if (error instanceof OrderNotFoundError) throw new Response("This shop has no such order.", { status: 404 });
    throw error;
  }
};

export default function OrderPage() {
  const view = useLoaderData<typeof loader>();
  const { order } = view;
  return (
    <Page
      title={`Order ${order.name}`}
      backAction={{ content: "Policy", url: "/app" }}
      titleMetadata={order.state ? <Badge>{order.state}</Badge> : undefined}
      subtitle={`Times in ${view.timeZone}; shaded days are weekends and holidays, business days are numbered from the order's day.`}
    >
      <TitleBar title={`Order ${order.name}`} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Timeline
              </Text>
              <OrderTimelinePicture picture={view.picture} title={`Timeline of order ${order.name}`} />
              {view.picture.left > 0 && (
                <Text as="p" tone="subdued">
                  {view.picture.left} later item{view.picture.left === 1 ? "" : "s"} beyond the picture are listed
                  below.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <TableCard title="Events" headings={["Event", "When"]} rows={view.events.map((e) => [e.label, e.at])} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <TableCard
            title="Deadlines"
            headings={["Deadline", "Due", "State"]}
            rows={view.deadlines.map((d) => [
              `${d.rule} ${d.label}`,
              `${d.at}${d.projected ? " (projected)" : ""}`,
              <Badge key={d.key} tone={d.overdue ? "critical" : d.settled ? undefined : "info"}>
                {d.overdue ? "Overdue" : d.settled ? "Settled" : "Pending"}
              </Badge>,
            ])}
          >
            {view.alerts.length > 0 && (
              <Text as="p" tone="critical">
                Open alerts:{" "}
                {view.alerts.map((a) => `${a.rule} ${a.kind.replace(/_/g, " ")} since ${a.since}`).join("; ")}
              </Text>
            )}
          </TableCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function TableCard({
  title,
  headings,
  rows,
  children,
}: {
  title: string;
  headings: string[];
  rows: ReactNode[][];
  children?: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <DataTable columnContentTypes={headings.map(() => "text" as const)} headings={headings} rows={rows} />
        {children}
      </BlockStack>
    </Card>
  );
}

/** A refused order (another shop's, not recorded yet, not an id) says why, inside the app's frame and menu. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error)) throw error;
  return (
    <Page title="Order" backAction={{ content: "Policy", url: "/app" }}>
      <Banner tone="critical" title={error.status === 404 ? "Order not found" : "Not an order"}>
        <p>{String(error.data)}</p>
        {error.status === 404 && (
          <p>An order placed moments ago shows here once Shopify&apos;s webhooks for it arrive.</p>
        )}
      </Banner>
    </Page>
  );
}
