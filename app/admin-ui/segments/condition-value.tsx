import { BlockStack, ChoiceList, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { LIST_OPS, VALUELESS } from "~/admin-data/segment-builder";
import type { FieldType } from "~/segments/rules/fields";

// The value part of one segment-builder condition, drawn for what it holds: an amount in the shop currency, a
// percentage, a range with both ends, a choice among labelled values (tiers, RFM groups, lifecycle stages, months)
// or several of them. The draft keeps one string ("10, 20" for a range, comma-separated keys for several), so the
// page's state and the action's parsing stay as simple as a text field's.

interface Props {
  type: FieldType;
  op: string;
  value: string;
  choices: { value: string; label: string }[] | null;
  currency: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

function numberInput(type: FieldType, currency: string) {
  if (type === "money") return { prefix: currency, inputMode: "decimal" as const };
  if (type === "share") return { suffix: "%", inputMode: "decimal" as const };
  return { inputMode: "decimal" as const };
}

export function ConditionValue({ type, op, value, choices, currency, error, onChange }: Props) {
  if (VALUELESS.has(op)) {
    return (
      <Text as="p" tone="subdued">
        No value needed
      </Text>
    );
  }
  const numeric = type === "number" || type === "money" || type === "share";
  if (numeric && op === "between") {
    const [low = "", high = ""] = value.split(",").map((part) => part.trim());
    return (
      <InlineGrid columns={2} gap="200">
        <TextField
          label="From"
          value={low}
          onChange={(next) => onChange(`${next}, ${high}`)}
          autoComplete="off"
          {...numberInput(type, currency)}
        />
        <TextField
          label="To"
          value={high}
          onChange={(next) => onChange(`${low}, ${next}`)}
          autoComplete="off"
          error={error}
          {...numberInput(type, currency)}
        />
      </InlineGrid>
    );
  }
  // The one text box a condition's value has (a number, an amount, a share or free text).
  const valueField = { label: "Value", value, onChange, autoComplete: "off", error };
  if (numeric) {
    const help = type === "share" ? "A percentage, 0 to 100" : type === "money" ? `In ${currency}` : undefined;
    return <TextField {...valueField} helpText={help} {...numberInput(type, currency)} />;
  }
  if (choices && LIST_OPS.has(op)) {
    const selected = value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean);
    return (
      <BlockStack gap="100">
        <ChoiceList
          title="Values"
          allowMultiple
          choices={choices}
          selected={selected}
          onChange={(next) => onChange(next.join(", "))}
          error={error}
        />
      </BlockStack>
    );
  }
  if (choices) {
    return (
      <Select
        label="Value"
        options={[{ label: "Choose…", value: "", disabled: true }, ...choices]}
        value={value}
        onChange={onChange}
        error={error}
      />
    );
  }
  return <TextField {...valueField} helpText={LIST_OPS.has(op) ? "Separate several with commas" : undefined} />;
}
