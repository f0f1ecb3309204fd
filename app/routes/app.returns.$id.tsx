import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, InlineStack, Layout, Page } from "@shopify/polaris";
import { ReturnActionsCard } from "../components/returns/return-actions";
import { ReturnFactsCards } from "../components/returns/return-facts";
import { cents, dateTime, returnGid, statusLabel } from "../components/returns/clock";
import { returnView } from "../components/returns/return-view";
import { configuredLabelService } from "../services/labels/easypost-labels.server";
import { issueLabel } from "../services/labels/issue-label.server";
import { uploadReturnLabel } from "../services/labels/upload-label.server";
import { answerClaim } from "../services/returns/answer-claim.server";
import { approveReturn } from "../services/returns/approve-return.server";
import { declineReturn } from "../services/returns/decline-return.server";
import { inspectReturn } from "../services/returns/inspect-return.server";
import { QUEUE_ERROR_STATUS, QueueError } from "../services/returns/queue-errors";
import { queueContext } from "../services/returns/queue-steps.server";
import { receiveReturn } from "../services/returns/receive-return.server";
import { refundReturn } from "../services/returns/refund-return.server";
import { returnDetail } from "../services/returns/return-detail.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

function returnIdOf(param: string | undefined): string {
  if (!param || !/^\d+$/.test(param))
    throw new Response("No such return: the address names no return.", { status: 404 });
  return returnGid(param);
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await shopSettings(session.shop);
  const now = new Date();
  try {
    const detail = await returnDetail(await queueContext(session.shop, settings, now), returnIdOf(params.id));
    return returnView(detail, settings.calendar.timeZone, now);
  } catch (error) {
    if (error instanceof QueueError) throw new Response(error.message, { status: QUEUE_ERROR_STATUS[error.code] });
    throw error;
  }
};

const checked = (form: FormData, name: string) => form.get(name) === "on";

/** The files posted under `name`; an empty file input posts one nameless empty file, which is no file. */
async function filesOf(form: FormData, name: string) {
  const files = form.getAll(name).filter((f): f is File => typeof f !== "string" && (f.size > 0 || f.name !== ""));
  return Promise.all(
    files.map(async (f) => ({ filename: f.name, contentType: f.type, data: new Uint8Array(await f.arrayBuffer()) })),
  );
}

/** Each intent is one use case; what it answers is shown as a banner. */
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = returnIdOf(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  try {
    const ctx = await queueContext(session.shop, await shopSettings(session.shop), new Date());
    switch (intent) {
      case "approve":
      case "send-label": {
        // Labels are bought when a carrier is configured; otherwise staff upload one.
        const approved = await approveReturn(ctx, id, configuredLabelService() ? { issueLabel } : {});
        return {
          ok: approved.label.state === "failed" ? null : labelSentence(approved.label),
          error: approved.label.state === "failed" ? approved.label.message : null,
        };
      }
      case "upload-label": {
        const [file] = await filesOf(form, "label");
        if (!file) return data({ ok: null, error: "Choose the label's PDF to upload." }, { status: 400 });
        const label = await uploadReturnLabel(
          session.shop,
          id,
          {
            file: { filename: file.filename, contentType: file.contentType, bytes: file.data },
            carrier: String(form.get("carrier") ?? ""),
            trackingNumber: String(form.get("trackingNumber") ?? ""),
            replace: checked(form, "replace"),
            seenLabels: Number.isInteger(Number(form.get("seenLabels") ?? "x"))
              ? Number(form.get("seenLabels"))
              : undefined,
          },
          ctx.now,
          { db: ctx.db, gateway: ctx.gateway, settings: ctx.settings },
        );
        return {
          ok: `Label sent to the shopper${label.trackingNumber ? ` (tracking ${label.trackingNumber})` : ""}; it voids ${dateTime(label.voidsAt, ctx.settings.calendar.timeZone)} unless scanned (RET-6).`,
          error: null,
        };
      }
      case "decline": {
        const declined = await declineReturn(ctx, id, { note: String(form.get("note") ?? "") });
        return { ok: `Declined (${declined.reason}); the shopper was told: “${declined.note}”`, error: null };
      }
      case "answer": {
        const answered = await answerClaim(ctx, id, String(form.get("answer") ?? ""));
        return {
          ok: answered.withinClock
            ? "Answer recorded within 24 hours (RET-9)."
            : "Answer recorded, after the 24 hours (RET-9).",
          error: null,
        };
      }
      case "receive":
        await receiveReturn(ctx, id);
        return { ok: "Package received: inspect it now (RET-5).", error: null };
      case "inspect": {
        const inspected = await inspectReturn(ctx, id, {
          asDescribed: checked(form, "asDescribed"),
          originalPackaging: checked(form, "originalPackaging"),
          allTags: checked(form, "allTags"),
          authentic: checked(form, "authentic"),
          provenInauthentic: checked(form, "provenInauthentic"),
          note: String(form.get("note") ?? ""),
          photos: await filesOf(form, "photos"),
        });
        const photos = inspected.inspection.photos?.length ?? 0;
        return {
          ok: `Inspection ${inspected.inspection.outcome}.${inspected.inspection.restock?.note ? ` ${inspected.inspection.restock.note}` : ""}${photos ? ` ${photos} photo(s) stored.` : ""}`,
          error: null,
        };
      }
      case "refund": {
        const refund = await refundReturn(ctx, id, Number(form.get("confirmedCents")));
        return {
          ok: `Refunded ${cents(refund.amountCents, refund.currency)} to the original card; the return is closed.`,
          error: null,
        };
      }
      default:
        return data({ ok: null, error: `Unknown action “${intent}”.` }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof QueueError)
      return data({ ok: null, error: error.message }, { status: QUEUE_ERROR_STATUS[error.code] });
    throw error;
  }
};

function labelSentence(label: Awaited<ReturnType<typeof approveReturn>>["label"]): string {
  if (label.state === "issued")
    return `Approved; label sent${label.trackingNumber ? ` (tracking ${label.trackingNumber})` : ""}.`;
  return label.state === "not_sent" ? label.message : "";
}

export default function ReturnPage() {
  const view = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <Page
      title={view.title}
      backAction={{ content: "Returns", url: "/app/returns" }}
      titleMetadata={<Badge>{statusLabel(view.status)}</Badge>}
      subtitle={view.subtitle}
    >
      <TitleBar title={view.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {outcome?.error && <Banner tone="critical">{outcome.error}</Banner>}
            {outcome?.ok && <Banner tone="success">{outcome.ok}</Banner>}
            {view.clock && (
              <InlineStack gap="200">
                <Badge
                  tone={view.clock.overdue ? "critical" : "attention"}
                >{`${view.clock.text} (${view.clock.rule})`}</Badge>
              </InlineStack>
            )}
            <ReturnFactsCards view={view} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <ReturnActionsCard view={view} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
