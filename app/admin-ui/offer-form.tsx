import { Form, useNavigation } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { OfferFormValues } from "~/admin-data/offer-form";
import type { AudienceChoice } from "~/admin-data/offers.server";

// The offer's fields, shared by the create and edit pages. A plain Remix form (posted by the Save button or the
// save bar), so it works before hydration and with the keyboard alone.
export function OfferForm({ initial, choices, errors, submitLabel }: { initial: OfferFormValues; choices: AudienceChoice[]; errors: Record<string, string>; submitLabel: string }) {
  const [values, setValues] = useState(initial);
  const navigation = useNavigation();
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(initial), [values, initial]);
  const set = (field: keyof OfferFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const text = (field: keyof OfferFormValues, label: string, options: { help?: string; multiline?: number; type?: "text" | "date" | "number" | "url" } = {}) => (
    <TextField
      label={label}
      name={field}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
      helpText={options.help}
      multiline={options.multiline}
      type={options.type ?? "text"}
      autoComplete="off"
    />
  );
  const otherErrors = Object.entries(errors).filter(([field]) => !(field in values));
  return (
    <Form method="post" id="offer-form">
      <input type="hidden" name="intent" value="save" />
      <SaveBar id="offer-save-bar" open={dirty}>
        <button variant="primary" onClick={() => (document.getElementById("offer-form") as HTMLFormElement | null)?.requestSubmit()} disabled={navigation.state !== "idle"}>
          Save
        </button>
        <button onClick={() => setValues(initial)}>
          Discard
        </button>
      </SaveBar>
      <BlockStack gap="400">
        {otherErrors.length ? (
          <Banner tone="critical" title="The offer was not saved">
            {otherErrors.map(([field, message]) => (
              <Text as="p" key={field}>{`${field}: ${message}`}</Text>
            ))}
          </Banner>
        ) : null}
        <Card>
          <FormLayout>
            {text("name", "Name", { help: "For you; shoppers don't see it" })}
            <Select label="Audience" name="audience" options={choices.map((choice) => ({ label: choice.label, value: choice.value }))} value={values.audience} onChange={set("audience")} error={errors.audience} />
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              What shoppers see
            </Text>
            {text("headline", "Headline")}
            {text("body", "Body", { multiline: 3 })}
            <FormLayout.Group>
              {text("ctaLabel", "Button label")}
              {text("ctaUrl", "Button link", { help: 'A path on your shop ("/collections/sale") or an https:// address' })}
            </FormLayout.Group>
          </FormLayout>
        </Card>
        <Card>
          <FormLayout>
            <Text as="h2" variant="headingMd">
              Discount, schedule and measurement
            </Text>
            <FormLayout.Group>
              <Select
                label="Discount"
                name="discountKind"
                options={[
                  { label: "No discount", value: "none" },
                  { label: "An existing discount code", value: "existing_code" },
                  { label: "A code Cadence creates, only for this audience", value: "cadence_code" },
                ]}
                value={values.discountKind}
                onChange={set("discountKind")}
                error={errors.discountKind}
              />
              {values.discountKind === "existing_code" ? text("code", "Discount code") : <input type="hidden" name="code" value={values.code} />}
            </FormLayout.Group>
            <FormLayout.Group>
              {text("startsAt", "Starts on", { type: "date", help: "Empty: as soon as it is active" })}
              {text("endsAt", "Ends on", { type: "date", help: "Empty: no end" })}
            </FormLayout.Group>
            <FormLayout.Group>
              {text("priority", "Priority", { type: "number", help: "When a shopper qualifies for several offers, the most specific audience wins, then the highest priority" })}
              {text("holdoutPercent", "Holdout (%)", { type: "number", help: "Shoppers who see generic content instead, to measure the offer (0–50)" })}
            </FormLayout.Group>
          </FormLayout>
        </Card>
        <Button submit variant="primary" loading={navigation.state === "submitting"}>
          {submitLabel}
        </Button>
      </BlockStack>
    </Form>
  );
}
