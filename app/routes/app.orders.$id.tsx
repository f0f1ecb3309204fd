import type { ReactNode } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { OrderTimelinePicture } from "../components/order-timeline-picture";
import prisma from "../db.server";
import { loadOrderView, OrderNotFoundError, orderGid } from "../services/orders/order-view.server";
import { cancelUnpaidOrder, UnpaidCancelError } from "../services/returns/cancel-unpaid-order.server";
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

const UNPAID_CANCEL_STATUS: Record<UnpaidCancelError["code"], number> = {
  NOT_FOUND: 404,
  IN_PROGRESS: 409,
  SHOPIFY_USER_ERROR: 502,
  ALREADY_CANCELLED: 409,
  NOT_AWAITING_PAYMENT: 409,
  NOT_DUE: 409,
  PAID_IN_SHOPIFY: 409,
};

// POST intent=cancel-unpaid: the TML-6 alert's one-click cancel (staff), answered with what happened.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = orderGid(params.id ?? "");
  if (!id) throw new Response("An order id is Shopify's number for it, e.g. /app/orders/5551234567.", { status: 400 });
  const intent = (await request.formData()).get("intent");
  if (intent !== "cancel-unpaid")
    return Response.json({ ok: false, message: "Unknown action: reload the page and try again." }, { status: 400 });
  try {
    const done = await cancelUnpaidOrder(session.shop, id, new Date(), "staff");
    return Response.json({ ok: true, message: done.message });
  } catch (error) {
    if (!(error instanceof UnpaidCancelError)) throw error;
    return Response.json({ ok: false, message: error.message }, { status: UNPAID_CANCEL_STATUS[error.code] });
  }
};

export default function OrderPage() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; message: string }>();
  const { order } = view;
  const unpaid =
    view.alerts.some((a) => a.kind === "payment_on_delivery_overdue") &&
    !view.events.some((e) => e.kind === "cancelled");
  return (
    <Page
      title={`Order ${order.name}`}
      backAction={{ content: "Policy", url: "/app" }}
      titleMetadata={order.state ? <Badge>{order.state}</Badge> : undefined}
      subtitle={`Times in ${view.timeZone}; shaded days are weekends and holidays, business days are numbered from the order's day.`}
    >
      <TitleBar title={`Order ${order.name}`} />
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
          </Layout.Section>
        )}
        {unpaid && (
          <Layout.Section>
            <Banner tone="warning" title="TML-6: payment on delivery unpaid past its deadline">
              <BlockStack gap="200">
                <p>The parcel is returned and the order cancelled, with no refund since nothing was paid.</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="cancel-unpaid" />
                  <Button submit tone="critical">
                    Cancel the unpaid order
                  </Button>
                </Form>
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
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
          <TableCard
            title="Events"
            headings={["Event", "When"]}
            rows={view.events.map((e) => [/^(TML|SHP)-\d/.test(e.source) ? `${e.label}: ${e.source}` : e.label, e.at])}
          />
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
