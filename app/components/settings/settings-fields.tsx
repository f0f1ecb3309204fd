import { useState } from "react";
import {
  Badge,
  BlockStack,
  Card,
  Checkbox,
  FormLayout,
  InlineError,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import {
  SETTING_GROUPS,
  worldwideName,
  type FieldValue,
  type FormValues,
  type SettingField,
} from "../../policy/settings-form";

export interface FieldChoices {
  currency: string;
  timeZones: string[];
  countries: Array<{ code: string; name: string }>;
}

type Problems = Record<string, string[]>;

/** The label of a field: its rule id, then what it sets. */
function FieldLabel({ field }: { field: SettingField }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <Badge>{field.rule}</Badge>
      <span>{field.label}</span>
    </InlineStack>
  );
}

const errorOf = (problems: Problems, path: string) => problems[path]?.join("; ");

/**
 * Every setting, grouped as POLICY.md groups its rules. The inputs are named by
 * the settings' paths, so the form posts as the server reads it
 * (app/policy/settings-form.ts); what was typed stays on screen beside its problems.
 */
export function SettingsFields({
  initial,
  problems,
  choices,
}: {
  initial: FormValues;
  problems: Problems;
  choices: FieldChoices;
}) {
  const [values, setValues] = useState<FormValues>(initial);
  const set = (name: string) => (value: FieldValue) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <BlockStack gap="400">
      {SETTING_GROUPS.map((group) => (
        <Card key={group.id}>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {group.title}
            </Text>
            <FormLayout>
              {group.fields.map((field) => (
                <SettingInput
                  key={field.path}
                  field={field}
                  values={values}
                  set={set}
                  error={errorOf(problems, field.path)}
                  choices={choices}
                />
              ))}
            </FormLayout>
          </BlockStack>
        </Card>
      ))}
    </BlockStack>
  );
}

function SettingInput({
  field,
  values,
  set,
  error,
  choices,
}: {
  field: SettingField;
  values: FormValues;
  set: (name: string) => (value: FieldValue) => void;
  error?: string;
  choices: FieldChoices;
}) {
  const label = <FieldLabel field={field} />;
  const value = values[field.path];
  const id = `setting-${field.path}`;
  switch (field.kind) {
    case "switch":
      return (
        <Checkbox
          id={id}
          name={field.path}
          value="on"
          label={label}
          helpText={field.help}
          checked={value === true}
          onChange={set(field.path)}
          error={error}
        />
      );
    case "choice":
      return (
        <Select
          id={id}
          name={field.path}
          label={label}
          helpText={field.help}
          options={field.choices!.map((c) => ({ value: c.value, label: c.label }))}
          value={String(value)}
          onChange={set(field.path)}
          error={error}
        />
      );
    case "timeZone":
      return (
        <TimeZoneInput
          field={field}
          value={String(value)}
          set={set(field.path)}
          error={error}
          zones={choices.timeZones}
        />
      );
    case "countries":
      return <CountriesInput field={field} values={values} set={set} error={error} countries={choices.countries} />;
    default:
      return (
        <TextField
          id={id}
          name={field.path}
          label={label}
          helpText={field.help}
          value={String(value ?? "")}
          onChange={set(field.path)}
          error={error}
          autoComplete="off"
          inputMode={field.kind === "whole" || field.kind === "wholeOrNone" ? "numeric" : undefined}
          suffix={field.kind === "money" || field.kind === "moneyOrNone" ? choices.currency : undefined}
        />
      );
  }
}

/** A searchable list: the browser filters the zones as the merchant types (no script needed). */
function TimeZoneInput({
  field,
  value,
  set,
  error,
  zones,
}: {
  field: SettingField;
  value: string;
  set: (value: string) => void;
  error?: string;
  zones: string[];
}) {
  const id = `setting-${field.path}`;
  return (
    <BlockStack gap="100">
      <label htmlFor={id}>
        <FieldLabel field={field} />
      </label>
      <input
        id={id}
        name={field.path}
        list={`${id}-list`}
        value={value}
        onChange={(e) => set(e.target.value)}
        autoComplete="off"
        aria-invalid={Boolean(error)}
        aria-describedby={`${id}-help`}
        style={{ padding: "6px 8px", border: "1px solid #8a8a8a", borderRadius: 8, font: "inherit" }}
      />
      <datalist id={`${id}-list`}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <Text as="span" tone="subdued" id={`${id}-help`}>
        {field.help}
      </Text>
      {error ? <InlineError message={error} fieldID={id} /> : null}
    </BlockStack>
  );
}

/** ISO codes, several at once, or every country. */
function CountriesInput({
  field,
  values,
  set,
  error,
  countries,
}: {
  field: SettingField;
  values: FormValues;
  set: (name: string) => (value: FieldValue) => void;
  error?: string;
  countries: Array<{ code: string; name: string }>;
}) {
  const id = `setting-${field.path}`;
  const worldwide = values[worldwideName(field.path)] === true;
  const selected = (values[field.path] as string[]) ?? [];
  // A code posted that is not in the list (refused by the server) stays visible with its problem.
  const unknown = selected.filter((code) => !countries.some((c) => c.code === code));
  return (
    <BlockStack gap="100">
      <label htmlFor={id}>
        <FieldLabel field={field} />
      </label>
      <Checkbox
        name={worldwideName(field.path)}
        value="on"
        label="Ship to every country"
        checked={worldwide}
        onChange={set(worldwideName(field.path))}
      />
      <select
        id={id}
        name={field.path}
        multiple
        size={6}
        disabled={worldwide}
        value={selected}
        aria-invalid={Boolean(error)}
        onChange={(e) => set(field.path)([...e.target.selectedOptions].map((o) => o.value))}
        style={{ padding: 4, border: "1px solid #8a8a8a", borderRadius: 8, font: "inherit", maxWidth: 360 }}
      >
        {[...unknown.map((code) => ({ code, name: "not a country code" })), ...countries].map((c) => (
          <option key={c.code} value={c.code}>
            {c.code} · {c.name}
          </option>
        ))}
      </select>
      <Text as="span" tone="subdued">
        {field.help} Selected: {worldwide ? "every country" : selected.join(", ") || "none"}.
      </Text>
      {error ? <InlineError message={error} fieldID={id} /> : null}
    </BlockStack>
  );
}
