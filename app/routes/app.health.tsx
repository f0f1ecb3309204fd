import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { HealthCheckCard } from "../components/health/HealthCheckCard";
import prisma from "../db.server";
import type { HealthCheckId } from "../policy/health";
import { FIXABLE_CHECKS, fixHealth, HealthFixError } from "../services/shops/health-fixes.server";
import { checkHealth } from "../services/shops/health.server";
import { shopSettings } from "../services/shops/shops.server";
import { gatewayFor } from "../services/shopify/admin-gateway.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const gateway = await gatewayFor(session.shop);
  return checkHealth(prisma, gateway, await shopSettings(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const check = (await request.formData()).get("check");
  if (typeof check !== "string" || !FIXABLE_CHECKS.includes(check as HealthCheckId))
    return Response.json(
      { ok: false, message: `Unknown check ${JSON.stringify(check)}: choose one with a fix button.` },
      { status: 400 },
    );
  const gateway = await gatewayFor(session.shop);
  try {
    const message = await fixHealth(prisma, gateway, await shopSettings(session.shop), check as HealthCheckId);
    return { ok: true, message };
  } catch (error) {
    if (error instanceof HealthFixError)
      return Response.json({ ok: false, message: error.message }, { status: error.code === "NO_FIX" ? 409 : 502 });
    throw error;
  }
};

export default function Health() {
  const report = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; message: string }>();
  const busy = useNavigation().state !== "idle";
  const problems = report.checks.filter((c) => c.state !== "ok").length;
  return (
    <Page title="Health">
      <TitleBar title="Health" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && (
              <Banner tone={result.ok ? "success" : "critical"} title={result.ok ? "Fixed" : "Not fixed"}>
                <Text as="p" breakWord>
                  {result.message}
                </Text>
              </Banner>
            )}
            <InlineStack gap="300" blockAlign="center">
              <Text as="p" tone="subdued">
                Everything the policy depends on in Shopify, read through the Admin API at{" "}
                {new Date(report.checkedAt).toUTCString()}: {problems === 0 ? "all OK." : `${problems} to look at.`}
              </Text>
              <Form method="get">
                <Button submit loading={busy}>
                  Check again
                </Button>
              </Form>
            </InlineStack>
            {report.checks.map((check) => (
              <HealthCheckCard key={check.id} check={check} busy={busy} />
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
