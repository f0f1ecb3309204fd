import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { hasCompletedAudit, InventoryAuditStatus, InventoryFindingsCard } from "../components/inventory-guard";
import prisma from "../db.server";
import { gatewayFor } from "../services/shopify/admin-gateway.server";
import {
  auditInventory,
  fixInventory,
  loadInventoryGuard,
  startInventoryAudit,
} from "../services/inventory/inventory-guard.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

/** How often the page re-reads the audit's progress while it runs. */
const PROGRESS_POLL_MS = 2_000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadInventoryGuard(prisma, session.shop, await shopSettings(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const intent = (await request.formData()).get("intent");
  if (intent !== "fix" && intent !== "check")
    throw new Response(`Unknown intent ${JSON.stringify(intent)}: expected "fix" or "check"`, { status: 400 });
  const gateway = await gatewayFor(session.shop);
  let errors: string[] = [];
  if (intent === "fix") {
    const settings = await shopSettings(session.shop);
    errors = await fixInventory(gateway, await auditInventory(prisma, session.shop, settings), settings);
  }
  // Re-read the store in the background; the page shows the audit's progress.
  await startInventoryAudit(prisma, gateway);
  return { fixed: intent === "fix" && errors.length === 0, errors };
};

export default function InventoryGuard() {
  const { audit, findings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { revalidate, state: revalidation } = useRevalidator();
  const running = audit.status === "running";
  useEffect(() => {
    if (!running || revalidation !== "idle") return;
    const timer = setTimeout(revalidate, PROGRESS_POLL_MS);
    return () => clearTimeout(timer);
  }, [running, revalidation, revalidate]);

  const checkButton = (
    <Form method="post">
      <input type="hidden" name="intent" value="check" />
      <Button submit loading={busy} disabled={running}>
        {audit.status === "not_checked" ? "Check now" : "Check again"}
      </Button>
    </Form>
  );
  return (
    <Page title="Inventory guard (INV-2)">
      <TitleBar title="Inventory guard" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.errors.length ? (
              <Banner tone="critical" title="Shopify refused some changes">
                <Text as="p" breakWord>
                  {result.errors.join(" · ")}
                </Text>
              </Banner>
            ) : null}
            {result?.fixed ? <Banner tone="success">Shopify accepted every change.</Banner> : null}
            <Text as="p" tone="subdued">
              A one-of-a-kind item must be tracked, must not sell when out of stock, and must have at most one
              available; otherwise a sold item can be bought again.
            </Text>
            <InventoryAuditStatus audit={audit} action={checkButton} />
            <InventoryFindingsCard findings={findings} auditCompleted={hasCompletedAudit(audit)} />
            <InlineStack gap="300">
              {findings.length > 0 && (
                <Form method="post">
                  <input type="hidden" name="intent" value="fix" />
                  <Button submit variant="primary" loading={busy}>
                    Fix all
                  </Button>
                </Form>
              )}
              {audit.status !== "not_checked" && audit.status !== "failed" && checkButton}
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
