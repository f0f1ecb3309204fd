import { useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Tabs,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { cents, clockText, reasonLabel, returnPath, statusLabel } from "../components/returns/clock";
import prisma from "../db.server";
import { configuredLabelService } from "../services/labels/easypost-labels.server";
import { issueLabel } from "../services/labels/issue-label.server";
import { approveReturns } from "../services/returns/approve-return.server";
import { QUEUE_ERROR_STATUS, QueueError } from "../services/returns/queue-errors";
import { queueContext } from "../services/returns/queue-steps.server";
import { parseTab, QUEUE_TABS } from "../services/returns/queue-tabs";
import { returnsQueue } from "../services/returns/returns-queue.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const settings = await shopSettings(session.shop);
  const now = new Date();
  const queue = await returnsQueue(
    prisma,
    session.shop,
    {
      tab: parseTab(url.searchParams.get("tab")),
      search: url.searchParams.get("q") ?? "",
      page: Number(url.searchParams.get("page")) || 0,
    },
    settings,
    now,
  );
  const zone = settings.calendar.timeZone;
  return {
    ...queue,
    rows: queue.rows.map((r) => ({
      id: r.id,
      path: returnPath(r.id),
      name: r.name ?? r.orderName,
      orderName: r.orderName,
      customer: r.customer ?? "—",
      status: r.status,
      reason: r.reason,
      items: `${r.units} · ${cents(r.valueCents, r.currency)}`,
      tracking: r.trackingNumber ?? "—",
      clock: r.clock ? { text: clockText(r.clock, now, zone), rule: r.clock.rule, overdue: r.clock.overdue } : null,
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "bulk-approve")
    return data({ error: "Unknown action: choose returns and approve them.", result: null }, { status: 400 });
  const ids = form.getAll("id").map(String);
  if (!ids.length) return data({ error: "Choose the returns to approve.", result: null }, { status: 400 });
  try {
    const ctx = await queueContext(session.shop, await shopSettings(session.shop), new Date());
    return { error: null, result: await approveReturns(ctx, ids, configuredLabelService() ? { issueLabel } : {}) };
  } catch (error) {
    if (error instanceof QueueError)
      return data({ error: error.message, result: null }, { status: QUEUE_ERROR_STATUS[error.code] });
    throw error;
  }
};

function ClockBadge({ clock }: { clock: { text: string; rule: string; overdue: boolean } | null }) {
  if (!clock)
    return (
      <Text as="span" tone="subdued">
        —
      </Text>
    );
  return <Badge tone={clock.overdue ? "critical" : "attention"}>{`${clock.text} (${clock.rule})`}</Badge>;
}

export default function ReturnsQueue() {
  const { rows, counts, tab, search, page, hasMore } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const navigate = useNavigate();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [query, setQuery] = useState(search);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(rows);
  const selected = QUEUE_TABS.findIndex((t) => t.id === tab);
  const go = (params: Record<string, string>) =>
    navigate(`?${new URLSearchParams({ tab, ...(search ? { q: search } : {}), ...params })}`);

  const approveSelected = () => {
    const form = new FormData();
    form.set("intent", "bulk-approve");
    for (const id of selectedResources) form.append("id", id);
    submit(form, { method: "post" });
    clearSelection();
  };

  return (
    <Page title="Returns" secondaryActions={[{ content: "Analytics", url: "/app/returns/analytics" }]}>
      <TitleBar title="Returns" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {outcome?.error && <Banner tone="critical">{outcome.error}</Banner>}
            {outcome?.result && (
              <Banner
                tone={outcome.result.failed.length ? "warning" : "success"}
                title={`${outcome.result.approved.length} return(s) approved`}
              >
                <BlockStack gap="100">
                  {outcome.result.skipped.map((s) => (
                    <Text
                      as="p"
                      key={s.returnId}
                    >{`Left for you to decide: ${s.returnId.split("/").pop()} — ${s.why}`}</Text>
                  ))}
                  {outcome.result.failed.map((f) => (
                    <Text as="p" key={f.returnId}>{`Not approved: ${f.returnId.split("/").pop()} — ${f.message}`}</Text>
                  ))}
                </BlockStack>
              </Banner>
            )}
            <Card padding="0">
              <Tabs
                tabs={QUEUE_TABS.map((t) => ({
                  id: t.id,
                  content: `${t.label} (${counts[t.id]})`,
                  panelID: `${t.id}-panel`,
                }))}
                selected={selected < 0 ? 0 : selected}
                onSelect={(index) => go({ tab: QUEUE_TABS[index]!.id, page: "0" })}
              />
              <div style={{ padding: 12 }}>
                <Form method="get">
                  <input type="hidden" name="tab" value={tab} />
                  <InlineStack gap="200" blockAlign="end">
                    <div style={{ flex: 1 }}>
                      <TextField
                        label="Search returns"
                        labelHidden
                        name="q"
                        value={query}
                        onChange={setQuery}
                        autoComplete="off"
                        placeholder="Order number, customer email or tracking number"
                      />
                    </div>
                    <Button submit>Search</Button>
                  </InlineStack>
                </Form>
              </div>
              {rows.length === 0 ? (
                <EmptyState heading={search ? "No return matches" : "No returns here"} image="">
                  <p>{search ? `Nothing in this tab matches “${search}”.` : "Returns in this state appear here."}</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "return", plural: "returns" }}
                  itemCount={rows.length}
                  selectable={tab === "requested"}
                  selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[
                    { content: "Approve eligible change-of-mind returns", onAction: approveSelected },
                  ]}
                  headings={[
                    { title: "Return" },
                    { title: "Customer" },
                    { title: "Reason" },
                    { title: "State" },
                    { title: "Items" },
                    { title: "Tracking" },
                    { title: "Clock" },
                  ]}
                >
                  {rows.map((r, index) => (
                    <IndexTable.Row id={r.id} key={r.id} position={index} selected={selectedResources.includes(r.id)}>
                      <IndexTable.Cell>
                        <Link to={r.path}>{r.name}</Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{r.customer}</IndexTable.Cell>
                      <IndexTable.Cell>{reasonLabel(r.reason)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge>{statusLabel(r.status)}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{r.items}</IndexTable.Cell>
                      <IndexTable.Cell>{r.tracking}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <ClockBadge clock={r.clock} />
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
              <div style={{ padding: 12 }}>
                <InlineStack gap="200" align="end">
                  <Button disabled={page === 0 || busy} onClick={() => go({ page: String(page - 1) })}>
                    Previous page
                  </Button>
                  <Button disabled={!hasMore || busy} onClick={() => go({ page: String(page + 1) })}>
                    Next page
                  </Button>
                </InlineStack>
              </div>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
