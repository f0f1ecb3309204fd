import { useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, Text, TextField } from "@shopify/polaris";
import type { ReturnView } from "./return-view";

/** A form posting one intent; the button shows it is busy while that intent is submitted. */
function IntentForm({ intent, files, children }: { intent: string; files?: boolean; children: React.ReactNode }) {
  return (
    <Form method="post" encType={files ? "multipart/form-data" : undefined}>
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="200">{children}</BlockStack>
    </Form>
  );
}

function useBusy(intent: string) {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
}

/** A plain file input (Polaris' DropZone needs client state; a form field posts as it is). */
export function FileField(props: { name: string; label: string; accept: string; multiple?: boolean; help: string }) {
  const id = `file-${props.name}`;
  return (
    <BlockStack gap="100">
      <label htmlFor={id}>
        <Text as="span">{props.label}</Text>
      </label>
      <input id={id} type="file" name={props.name} accept={props.accept} multiple={props.multiple} />
      <Text as="span" tone="subdued">
        {props.help}
      </Text>
    </BlockStack>
  );
}

const CHECKLIST = [
  ["asDescribed", "Condition as described"],
  ["originalPackaging", "Original packaging"],
  ["allTags", "All tags attached"],
  ["authentic", "Authenticity verified"],
] as const;

function InspectForm() {
  const [checks, setChecks] = useState<Record<string, boolean>>({});
  const [inauthentic, setInauthentic] = useState(false);
  const [note, setNote] = useState("");
  const busy = useBusy("inspect");
  return (
    <IntentForm intent="inspect" files>
      <Text as="h3" variant="headingSm">
        Inspection (RET-5)
      </Text>
      {CHECKLIST.map(([name, label]) => (
        <div key={name}>
          <Checkbox label={label} checked={!!checks[name]} onChange={(v) => setChecks({ ...checks, [name]: v })} />
          {checks[name] && <input type="hidden" name={name} value="on" />}
        </div>
      ))}
      <Checkbox
        label="Proven inauthentic by a verified authenticator (RET-11)"
        checked={inauthentic}
        onChange={setInauthentic}
      />
      {inauthentic && <input type="hidden" name="provenInauthentic" value="on" />}
      <TextField label="Note" name="note" value={note} onChange={setNote} multiline={2} autoComplete="off" />
      <FileField
        name="photos"
        label="Photos of the item as received (optional)"
        accept="image/jpeg,image/png,image/gif,image/webp"
        multiple
        help="Up to 5 JPEG, PNG, GIF or WebP images of at most 10 MB each."
      />
      <Button submit loading={busy}>
        Record inspection
      </Button>
    </IntentForm>
  );
}

/** Staff's own label PDF, or "send a new label" replacing one the shopper lost (RET-6). */
function LabelUploadForm({ replace, seenLabels }: { replace: boolean; seenLabels: number }) {
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const busy = useBusy("upload-label");
  return (
    <IntentForm intent="upload-label" files>
      <input type="hidden" name="seenLabels" value={seenLabels} />
      {replace && <input type="hidden" name="replace" value="on" />}
      <Text as="h3" variant="headingSm">
        {replace ? "Send a new label" : "Upload a label"}
      </Text>
      {replace && (
        <Text as="p" tone="subdued">
          The label out now was never scanned: it is voided and the shopper gets this one, good for its own 2 business
          days (RET-6).
        </Text>
      )}
      <FileField name="label" label="Label (PDF)" accept="application/pdf" help="A PDF of at most 2 MB." />
      <TextField label="Carrier" name="carrier" value={carrier} onChange={setCarrier} autoComplete="off" />
      <TextField
        label="Tracking number"
        name="trackingNumber"
        value={tracking}
        onChange={setTracking}
        autoComplete="off"
      />
      <Button submit loading={busy}>
        {replace ? "Send the new label" : "Upload and send the label"}
      </Button>
    </IntentForm>
  );
}

function TextIntent(props: { intent: string; label: string; button: string; help?: string; tone?: "critical" }) {
  const [text, setText] = useState("");
  const busy = useBusy(props.intent);
  const name = props.intent === "answer" ? "answer" : "note";
  return (
    <IntentForm intent={props.intent}>
      <TextField
        label={props.label}
        name={name}
        value={text}
        onChange={setText}
        multiline={2}
        helpText={props.help}
        autoComplete="off"
      />
      <Button submit loading={busy} tone={props.tone}>
        {props.button}
      </Button>
    </IntentForm>
  );
}

function OneClick({ intent, label, primary }: { intent: string; label: string; primary?: boolean }) {
  const busy = useBusy(intent);
  return (
    <IntentForm intent={intent}>
      <Button submit variant={primary ? "primary" : undefined} loading={busy}>
        {label}
      </Button>
    </IntentForm>
  );
}

/** What staff can do with the return now; the server checks each again. */
export function ReturnActionsCard({ view }: { view: ReturnView }) {
  const { actions } = view;
  const refundBusy = useBusy("refund");
  const none = !Object.values(actions).some(Boolean);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Actions
        </Text>
        {none && (
          <Text as="p" tone="subdued">
            Nothing is left to do on this return.
          </Text>
        )}
        {actions.answer && (
          <TextIntent
            intent="answer"
            label="Answer the wrong-item report (RET-9)"
            button="Record answer"
            help="The store's resolution, within 24 hours of the report."
          />
        )}
        {actions.approve && (
          <OneClick
            intent="approve"
            label={view.isClaim ? "Approve as a return and send the label" : "Approve and send the label"}
            primary
          />
        )}
        {actions.sendLabel && <OneClick intent="send-label" label="Send the label" primary />}
        {(actions.uploadLabel || actions.replaceLabel) && (
          <LabelUploadForm replace={!actions.uploadLabel} seenLabels={view.labels.length} />
        )}
        {actions.decline && (
          <TextIntent
            intent="decline"
            label="Decline"
            button="Decline return"
            tone="critical"
            help="Left empty, the shopper reads the rule that blocks the return."
          />
        )}
        {actions.receive && <OneClick intent="receive" label="Mark package received" primary />}
        {actions.inspect && <InspectForm />}
        {actions.refund && (
          <IntentForm intent="refund">
            <input type="hidden" name="confirmedCents" value={view.quote.totalCents} />
            <Text as="p">{`Refund ${view.quote.total} to the original card, then close the return.`}</Text>
            <Button submit variant="primary" loading={refundBusy}>
              {`Refund ${view.quote.total}`}
            </Button>
          </IntentForm>
        )}
      </BlockStack>
    </Card>
  );
}
