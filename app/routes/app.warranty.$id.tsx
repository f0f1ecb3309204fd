import { useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import prisma from "../db.server";
import { formatMoney, MoneyError, parseDecimal, type Money } from "../policy";
import { QUEUE_ERROR_STATUS, QueueError } from "../services/returns/queue-errors";
import { queueContext } from "../services/returns/queue-steps.server";
import { shopSettings } from "../services/shops/shops.server";
import { staffOf } from "../services/shops/staff.server";
import { approveWarrantyRepair } from "../services/warranty/approve-warranty-repair.server";
import { declineWarrantyClaim } from "../services/warranty/decline-warranty-claim.server";
import { quoteWarrantyRepair } from "../services/warranty/quote-warranty-repair.server";
import { warrantyClaimDetail } from "../services/warranty/warranty-claim-detail.server";
import { authenticate } from "../shopify.server";

const refused = (error: unknown) => {
  if (error instanceof QueueError)
    return data({ ok: null, error: error.message }, { status: QUEUE_ERROR_STATUS[error.code] });
  throw error;
};

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return await warrantyClaimDetail(prisma, session.shop, params.id ?? "");
  } catch (error) {
    if (error instanceof QueueError) throw new Response(error.message, { status: QUEUE_ERROR_STATUS[error.code] });
    throw error;
  }
};

/** The staff's price as typed ("85", "85.00") in the given currency, as integer minor units. */
function quoteOf(form: FormData): Money {
  const currency = String(form.get("currency") ?? "")
    .trim()
    .toUpperCase();
  try {
    return parseDecimal(String(form.get("price") ?? "").trim(), currency);
  } catch (error) {
    if (error instanceof MoneyError)
      throw new QueueError(
        "BAD_REQUEST",
        "Enter the repair price as an amount, like 85.00, and its currency.",
        "WAR-5",
      );
    throw error;
  }
}

// Each intent is one use case: approve (covered repair), quote (paid repair, invoiced), decline.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const context = await authenticate.admin(request);
  const { session } = context;
  const by = staffOf(session, "sessionToken" in context ? context.sessionToken : null).name;
  const id = params.id ?? "";
  const form = await request.formData();
  try {
    const ctx = await queueContext(session.shop, await shopSettings(session.shop), new Date());
    switch (String(form.get("intent"))) {
      case "approve":
        await approveWarrantyRepair(ctx, id, String(form.get("note") ?? ""), by);
        return { ok: "Approved as a covered repair, free of charge.", error: null };
      case "quote": {
        const quoted = await quoteWarrantyRepair(ctx, id, quoteOf(form), by);
        return {
          ok: `Repair quoted at ${formatMoney(quoted.quote)}: the draft order invoice was sent${quoted.sentTo ? ` to ${quoted.sentTo}` : ""}.`,
          error: null,
        };
      }
      case "decline": {
        await declineWarrantyClaim(ctx, id, String(form.get("note") ?? ""), by);
        return { ok: "Claim declined.", error: null };
      }
      default:
        return data({ ok: null, error: "Unknown action: approve, quote or decline the claim." }, { status: 400 });
    }
  } catch (error) {
    return refused(error);
  }
};

export default function WarrantyClaimPage() {
  const claim = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [price, setPrice] = useState("");
  const [note, setNote] = useState("");
  const open = claim.status === "open";
  const submit = useSubmit();
  const send = (intent: string) => submit({ intent, note, price, currency: claim.order.currency }, { method: "post" });
  return (
    <Page title={`Warranty claim · ${claim.order.name}`} backAction={{ content: "Warranty", url: "/app/warranty" }}>
      <TitleBar title="Warranty claim" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {outcome?.ok && <Banner tone="success">{outcome.ok}</Banner>}
            {outcome?.error && <Banner tone="critical">{outcome.error}</Banner>}
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200">
                  <Badge tone={claim.covered ? "success" : "attention"}>
                    {`${claim.covered ? "Covered" : "Not covered"} (${claim.rule})`}
                  </Badge>
                  <Badge>{claim.statusLabel}</Badge>
                </InlineStack>
                <Text as="h2" variant="headingMd">
                  {claim.item?.title ?? "Item"}
                </Text>
                <Text as="p">{claim.issueLabel}</Text>
                {claim.note && <Text as="p">“{claim.note}”</Text>}
                <Text as="p" tone="subdued">
                  The shopper was told: {claim.sentence}
                </Text>
                {claim.photos.map((p) => (
                  <a key={p.fileId} href={p.url ?? "#"} target="_blank" rel="noreferrer">
                    Photo {p.fileId.split("/").pop()}
                  </a>
                ))}
                {claim.quote && (
                  <Text as="p">
                    Quoted {formatMoney(claim.quote)}
                    {claim.invoiceSentAt
                      ? `, invoice sent ${new Date(claim.invoiceSentAt).toLocaleString()}`
                      : ", invoice not sent yet"}
                  </Text>
                )}
                {claim.staffNote && <Text as="p">Staff note: {claim.staffNote}</Text>}
                {claim.decidedBy && (
                  <Text as="p" tone="subdued">
                    Handled by {claim.decidedBy}
                  </Text>
                )}
              </BlockStack>
            </Card>
            {open && (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    After examining the piece
                  </Text>
                  <TextField
                    label="Note (the reason when declining)"
                    name="note"
                    value={note}
                    onChange={setNote}
                    autoComplete="off"
                  />
                  {claim.covered && (
                    <Button onClick={() => send("approve")} variant="primary" disabled={busy}>
                      Approve covered repair
                    </Button>
                  )}
                  <InlineStack gap="200" blockAlign="end">
                    <TextField
                      label={`Repair price (${claim.order.currency}), WAR-5`}
                      name="price"
                      value={price}
                      onChange={setPrice}
                      autoComplete="off"
                      inputMode="decimal"
                    />
                    <Button onClick={() => send("quote")} disabled={busy}>
                      Send paid-repair invoice
                    </Button>
                  </InlineStack>
                  <Button onClick={() => send("decline")} tone="critical" disabled={busy}>
                    Decline
                  </Button>
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                On the order&apos;s timeline
              </Text>
              {claim.events.map((e) => (
                <Text as="p" key={e.kind}>
                  {e.kind.replace(/^warranty_/, "").replace(/_/g, " ")} · {new Date(e.occurredAt).toLocaleString()}
                </Text>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
