import { useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, Text, TextField } from "@shopify/polaris";
import type { ReturnView } from "./return-view";

/** A form posting one intent; the button shows it is busy while that intent is submitted. */
function IntentForm({ intent, children }: { intent: string; children: React.ReactNode }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="200">{children}</BlockStack>
    </Form>
  );
}

function useBusy(intent: string) {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
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
    <IntentForm intent="inspect">
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
      <Button submit loading={busy}>
        Record inspection
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
