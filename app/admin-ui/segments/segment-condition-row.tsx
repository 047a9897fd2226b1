import { Box, Button, InlineGrid, Select } from "@shopify/polaris";
import { OPERATORS } from "~/admin-data/segment-builder";
import type { ConditionDraft } from "~/admin-data/segment-builder";
import type { FieldType } from "~/segments/rules/fields";
import { ConditionValue } from "./condition-value";

// One condition of the segment builder: the field it tests, the comparison, the value, and a button to remove it.
// Choosing another field starts its comparison again (the first that field offers) with no value.

export interface BuilderField {
  name: string;
  label: string;
  type: FieldType;
  /** The labelled values a field of choices offers (tiers, RFM groups…); null for typed values. */
  values: { value: string; label: string }[] | null;
}

export function SegmentConditionRow({
  index,
  condition,
  fields,
  currency,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  condition: ConditionDraft;
  fields: BuilderField[];
  currency: string;
  errors: Record<string, string>;
  onChange: (change: Partial<ConditionDraft>) => void;
  onRemove: () => void;
}) {
  const fieldOf = (name: string) => fields.find((field) => field.name === name);
  const field = fieldOf(condition.field);
  const ops = OPERATORS[field?.type ?? "number"];
  const error = (part: keyof ConditionDraft) => errors[`conditions.${index}.${part}`];
  return (
    <InlineGrid columns={{ xs: 1, md: "2fr 1fr 2fr auto" }} gap="200" alignItems="start">
      <Select
        label={`Condition ${index + 1}`}
        options={fields.map((f) => ({ label: f.label, value: f.name }))}
        value={condition.field}
        onChange={(value) =>
          onChange({ field: value, op: OPERATORS[fieldOf(value)?.type ?? "number"][0]!.op, value: "" })
        }
        error={error("field")}
      />
      <Select
        label="Comparison"
        options={ops.map((op) => ({ label: op.label, value: op.op }))}
        value={condition.op}
        onChange={(op) => onChange({ op })}
        error={error("op")}
      />
      <ConditionValue
        type={field?.type ?? "number"}
        op={condition.op}
        value={condition.value}
        choices={field?.values ?? null}
        currency={currency}
        error={error("value")}
        onChange={(value) => onChange({ value })}
      />
      {/* Level with the inputs, below their labels (rows align at the top: a list of choices is tall). */}
      <Box paddingBlockStart="600">
        <Button onClick={onRemove} accessibilityLabel={`Remove condition ${index + 1}`}>
          Remove
        </Button>
      </Box>
    </InlineGrid>
  );
}
