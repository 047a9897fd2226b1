import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { HOLD_SHARE } from "~/publish/flow/hold-rules";

// The Flow page's "Mass moves" setting: how many customers one move may involve before Cadence holds it for review.

export function FlowHoldAboveForm({ holdAbove, error, busy }: { holdAbove: number; error?: string; busy: boolean }) {
  const [value, setValue] = useState(String(holdAbove));
  return (
    <Card>
      <Form method="post">
        <BlockStack gap="200">
          <input type="hidden" name="intent" value="hold-above" />
          <Text as="h2" variant="headingMd">
            Mass moves
          </Text>
          <InlineStack gap="200" blockAlign="end">
            <TextField
              label="Hold a move for review when it involves more than"
              name="holdAbove"
              value={value}
              onChange={setValue}
              suffix="customers"
              inputMode="numeric"
              autoComplete="off"
              error={error}
              helpText={`Or more than ${Math.round(
                HOLD_SHARE * 100,
              )}% of your customers, if that is larger. A move is one tier change (for example Gold to Silver), or entering or leaving one segment.`}
            />
            <Button submit disabled={busy}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
