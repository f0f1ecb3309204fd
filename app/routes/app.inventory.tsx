import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import prisma from "../db.server";
import { gatewayFor } from "../services/admin-gateway.server";
import { auditInventory, fixInventory, refreshInventoryFacts } from "../services/inventory-guard.server";
import { shopSettings } from "../services/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const broken = await auditInventory(prisma, session.shop, await shopSettings(session.shop));
  return {
    broken: broken.map((v) => ({
      id: v.variantId,
      available: v.available,
      problems: v.findings.map((f) => f.message),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await shopSettings(session.shop);
  const gateway = await gatewayFor(session.shop);
  const intent = (await request.formData()).get("intent");
  if (intent === "fix") {
    const errors = await fixInventory(gateway, await auditInventory(prisma, session.shop, settings), settings);
    await refreshInventoryFacts(prisma, gateway);
    return { fixed: errors.length === 0, errors };
  }
  await refreshInventoryFacts(prisma, gateway);
  return { fixed: false, errors: [] as string[] };
};

export default function InventoryGuard() {
  const { broken } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Inventory guard (INV-2)">
      <TitleBar title="Inventory guard" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.errors.length ? (
              <Banner tone="critical" title="Shopify refused some changes">
                {result.errors.join(" · ")}
              </Banner>
            ) : null}
            {result?.fixed ? (
              <Banner tone="success">
                Every one-of-a-kind variant is tracked, never oversold, with at most one available.
              </Banner>
            ) : null}
            <Text as="p" tone="subdued">
              A one-of-a-kind item must be tracked, must not sell when out of stock, and must have at most one
              available; otherwise a sold item can be bought again.
            </Text>
            <Card padding="0">
              {broken.length === 0 ? (
                <EmptyState heading="Every one-of-a-kind variant is safe" image="">
                  <p>Checked again whenever Shopify reports a product or inventory change.</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "variant", plural: "variants" }}
                  itemCount={broken.length}
                  selectable={false}
                  headings={[{ title: "Variant" }, { title: "Available" }, { title: "Problems" }]}
                >
                  {broken.map((v, index) => (
                    <IndexTable.Row id={v.id} key={v.id} position={index}>
                      <IndexTable.Cell>{v.id.split("/").pop()}</IndexTable.Cell>
                      <IndexTable.Cell>{v.available}</IndexTable.Cell>
                      <IndexTable.Cell>{v.problems.join(" ")}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
            <InlineStack gap="300">
              {broken.length > 0 && (
                <Form method="post">
                  <input type="hidden" name="intent" value="fix" />
                  <Button submit variant="primary" loading={busy}>
                    Fix all
                  </Button>
                </Form>
              )}
              <Form method="post">
                <input type="hidden" name="intent" value="check" />
                <Button submit loading={busy}>
                  Check again
                </Button>
              </Form>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
