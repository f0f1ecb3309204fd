import { useState } from "react";
import { Form } from "@remix-run/react";
import { Button, Card, InlineStack, Select } from "@shopify/polaris";

/** Picks a preset to fill the form with (a plain GET: nothing is saved until the merchant saves). */
export function PresetPicker({
  presets,
  current,
}: {
  presets: Array<{ value: string; label: string }>;
  current: string;
}) {
  const [preset, setPreset] = useState(current);
  return (
    <Card>
      <Form method="get">
        <InlineStack gap="300" blockAlign="end">
          <Select
            label="Preset"
            name="preset"
            options={presets}
            value={preset}
            onChange={setPreset}
            helpText="Fills the form with a store's whole policy; nothing is saved until you save. Any edit makes it custom."
          />
          <Button submit>Fill the form with this preset</Button>
        </InlineStack>
      </Form>
    </Card>
  );
}
