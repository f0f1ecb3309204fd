import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { shownError } from "../services/inbox/webhook-errors.server";
import { deadLetters, MAX_ATTEMPTS, replay } from "../services/inbox/webhook-inbox.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const dead = await deadLetters(prisma, session.shop);
  const pending = await prisma.webhookEvent.count({ where: { shop: session.shop, status: "pending" } });
  return {
    pending,
    maxAttempts: MAX_ATTEMPTS,
    dead: dead.map((e) => ({
      id: e.id,
      topic: e.topic,
      receivedAt: e.receivedAt.toISOString(),
      attempts: e.attempts,
      error: shownError(e.lastError),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const ids = form.getAll("id").map(String);
  // Only this shop's dead letters can be replayed from its admin.
  const own = await prisma.webhookEvent.findMany({
    where: { id: { in: ids }, shop: session.shop, status: "dead" },
    select: { id: true },
  });
  if (!own.length) return { replayed: 0, error: "Nothing to replay: choose dead events of this shop." };
  return {
    replayed: await replay(
      prisma,
      own.map((e) => e.id),
    ),
    error: null,
  };
};

export default function WebhookHealth() {
  const { dead, pending, maxAttempts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Webhooks">
      <TitleBar title="Webhooks" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.error && <Banner tone="warning">{result.error}</Banner>}
            {result?.replayed ? <Banner tone="success">{result.replayed} event(s) queued again.</Banner> : null}
            <Text as="p" tone="subdued">
              {pending} event(s) waiting to be processed. Events that failed {maxAttempts} times are kept here with
              their error.
            </Text>
            <Card padding="0">
              {dead.length === 0 ? (
                <EmptyState heading="No failed webhooks" image="">
                  <p>Every webhook Shopify sent has been applied to the order timelines.</p>
                </EmptyState>
              ) : (
                <Form method="post">
                  {dead.map((e) => (
                    <input key={e.id} type="hidden" name="id" value={e.id} />
                  ))}
                  <IndexTable
                    resourceName={{ singular: "failed webhook", plural: "failed webhooks" }}
                    itemCount={dead.length}
                    selectable={false}
                    headings={[
                      { title: "Topic" },
                      { title: "Received" },
                      { title: "Attempts" },
                      { title: "Last error" },
                    ]}
                  >
                    {dead.map((e, index) => (
                      <IndexTable.Row id={e.id} key={e.id} position={index}>
                        <IndexTable.Cell>{e.topic}</IndexTable.Cell>
                        <IndexTable.Cell>{new Date(e.receivedAt).toLocaleString()}</IndexTable.Cell>
                        <IndexTable.Cell>{e.attempts}</IndexTable.Cell>
                        <IndexTable.Cell>{e.error}</IndexTable.Cell>
                      </IndexTable.Row>
                    ))}
                  </IndexTable>
                  <div style={{ padding: 16 }}>
                    <Button submit loading={busy}>
                      Replay all
                    </Button>
                  </div>
                </Form>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
