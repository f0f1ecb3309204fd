import { useRef } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineStack, Layout, List, Page } from "@shopify/polaris";
import { PresetPicker } from "../components/settings/preset-picker";
import { SettingsFields } from "../components/settings/settings-fields";
import { SettingsHistoryCard } from "../components/settings/settings-history";
import { SettingsPreviewCard } from "../components/settings/settings-preview";
import { SyncReportBanner } from "../components/settings/sync-report";
import prisma from "../db.server";
import { PRESET_LABELS, problemsByField, submittedValues, type FormValues } from "../policy/settings-form";
import { loadSettingsPage } from "../services/shops/load-settings.server";
import { previewSettings } from "../services/shops/preview-settings.server";
import { retrySettingsSync, saveShopSettings } from "../services/shops/save-settings.server";
import { staffOf } from "../services/shops/staff.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSettingsPage(prisma, session.shop, new URL(request.url).searchParams.get("preset"));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.admin(request);
  const { session } = context;
  const form = await request.formData();
  const intent = form.get("intent");
  const now = new Date();
  if (intent === "retry") return { intent, retry: await retrySettingsSync(prisma, session.shop, { now }) };
  if (intent !== "preview" && intent !== "save")
    throw new Response(`Unknown intent ${JSON.stringify(intent)}: expected "preview", "save" or "retry"`, {
      status: 400,
    });
  const values = submittedValues(form);
  if (intent === "preview") return { intent, values, preview: await previewSettings(prisma, session.shop, form) };
  const revision = Number(form.get("revision"));
  const save = await saveShopSettings(prisma, {
    shop: session.shop,
    form,
    staff: staffOf(session, "sessionToken" in context ? context.sessionToken : null),
    expectedRevision: Number.isInteger(revision) ? revision : undefined,
    now,
  });
  return { intent, values, save };
};

/** The action's answers (plain JSON: no dates), by intent. */
type ActionResult =
  | { intent: "retry"; retry: Awaited<ReturnType<typeof retrySettingsSync>> }
  | { intent: "preview"; values: FormValues; preview: Awaited<ReturnType<typeof previewSettings>> }
  | { intent: "save"; values: FormValues; save: Awaited<ReturnType<typeof saveShopSettings>> };

const presetLabel = (preset: string) => PRESET_LABELS[preset as keyof typeof PRESET_LABELS] ?? preset;

export default function Settings() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state !== "idle";
  const intent = useRef<HTMLInputElement>(null);
  const submitAs = (value: string) => () => {
    if (intent.current) intent.current.value = value;
  };

  const checked = result?.intent === "preview" ? result.preview : result?.intent === "save" ? result.save : null;
  const problems = checked && !checked.ok ? checked.problems : [];
  const byField = problemsByField(problems);
  const saved = result?.intent === "save" && result.save.ok ? result.save : null;
  const retry = result?.intent === "retry" ? result.retry : null;
  // After a save the form shows the saved settings; otherwise what was typed stays, beside its problems.
  const values = result && result.intent !== "retry" && !saved ? result.values : page.values;
  const sync =
    retry && retry.ok
      ? { report: retry.report, title: "Sync run again" }
      : saved && !saved.unchanged
        ? { report: saved.report, title: `Saved as ${presetLabel(saved.preset)} (revision ${saved.revision})` }
        : page.unfinishedSync
          ? {
              report: page.unfinishedSync.report ?? { ok: false, attempt: 0, at: "", steps: [] },
              title: `The sync after revision ${page.unfinishedSync.revision} did not complete`,
            }
          : null;
  const formKey = `${page.revision}-${page.picked ?? "saved"}-${saved ? "saved" : ""}`;

  return (
    <Page title="Settings" subtitle={`Saved as ${presetLabel(page.savedPreset)} · revision ${page.revision}`}>
      <TitleBar title="Settings" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PresetPicker
              presets={page.presets.filter((p) => p.value !== "custom")}
              current={page.picked ?? (page.savedPreset === "custom" ? "allu" : page.savedPreset)}
            />
            {page.picked && (
              <Banner tone="info" title={`The form shows the ${presetLabel(page.picked)} preset`}>
                Preview to see what it changes; nothing is saved until you save.
              </Banner>
            )}
            {problems.length > 0 && (
              <Banner tone="critical" title="Nothing was saved: fix these first">
                <List>
                  {problems.map((p, i) => (
                    <List.Item key={i}>
                      {p.path === "(settings)" ? "" : `${p.path}: `}
                      {p.message}
                    </List.Item>
                  ))}
                </List>
              </Banner>
            )}
            {saved && saved.unchanged && <Banner tone="info">No setting changed; nothing was saved.</Banner>}
            {retry && !retry.ok && <Banner tone="critical">{retry.problems.map((p) => p.message).join(" ")}</Banner>}
            {sync && (
              <SyncReportBanner
                report={sync.report}
                title={sync.title}
                action={sync.report.ok ? undefined : <RetryButton busy={busy} />}
              />
            )}
            {result?.intent === "preview" && result.preview.ok && (
              <SettingsPreviewCard
                preview={result.preview.preview}
                presetLabel={presetLabel(result.preview.preview.preset)}
              />
            )}
            <Form method="post">
              <input ref={intent} type="hidden" name="intent" value="preview" />
              <input type="hidden" name="revision" value={page.revision} />
              <BlockStack gap="400">
                <SettingsFields
                  key={formKey}
                  initial={values}
                  problems={byField}
                  choices={{ currency: page.currency, timeZones: page.timeZones, countries: page.countries }}
                />
                <InlineStack gap="300">
                  <Button submit onClick={submitAs("preview")} loading={busy}>
                    Preview changes
                  </Button>
                  <Button submit variant="primary" onClick={submitAs("save")} loading={busy}>
                    Save and sync
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
            <SettingsHistoryCard history={page.history} timeZone={page.timeZone} presetLabel={presetLabel} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RetryButton({ busy }: { busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="retry" />
      <Button submit loading={busy}>
        Retry the sync
      </Button>
    </Form>
  );
}
