import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Card, EmptyState, IndexTable, Layout, Page, Tabs, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { WARRANTY_TAB_LABELS, warrantyPath } from "../components/warranty/warranty-labels";
import { warrantyQueue } from "../services/warranty/warranty-queue.server";
import { WARRANTY_TABS, warrantyTab } from "../services/warranty/warranty-tabs";
import { authenticate } from "../shopify.server";

// The shop's warranty claims (WAR-1…5) by state; open ones oldest first.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return warrantyQueue(prisma, session.shop, warrantyTab(new URL(request.url).searchParams.get("tab")));
};

export default function WarrantyQueue() {
  const { tab, counts, rows } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const tabs = WARRANTY_TABS.map((t) => ({ id: t, content: `${WARRANTY_TAB_LABELS[t]} (${counts[t]})` }));
  return (
    <Page title="Warranty">
      <TitleBar title="Warranty" />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={tabs}
              selected={WARRANTY_TABS.indexOf(tab)}
              onSelect={(i) => navigate(`?tab=${WARRANTY_TABS[i]}`)}
            />
            {rows.length === 0 ? (
              <EmptyState heading="No claims here" image="">
                <p>Claims shoppers file from the return portal appear here for staff to confirm.</p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "claim", plural: "claims" }}
                itemCount={rows.length}
                selectable={false}
                headings={[
                  { title: "Order" },
                  { title: "Item" },
                  { title: "Issue" },
                  { title: "Rule" },
                  { title: "Filed" },
                ]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row
                    id={row.id}
                    key={row.id}
                    position={index}
                    onClick={() => navigate(warrantyPath(row.id))}
                  >
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {row.orderName}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.item}</IndexTable.Cell>
                    <IndexTable.Cell>{row.issue.replace(/_/g, " ")}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={row.covered ? "success" : "attention"}>
                        {`${row.covered ? "Covered" : "Not covered"} (${row.rule})`}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{new Date(row.filedAt).toLocaleDateString()}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
