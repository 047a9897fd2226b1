import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, DataTable, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { CustomerDetail } from "~/admin-data/customer.server";
import { date } from "../format";
import { SectionCard } from "../section-card";

// A customer's loyalty tier: the override in force, the form that sets a tier by hand (with the reason the tier
// history keeps) or removes the override, and the tier history. Both forms post to the customer page's action.

type Customer = Pick<CustomerDetail, "override" | "tierId" | "tiers" | "tierHistory">;

export function TierOverrideCard({
  customer,
  result,
  submitting,
}: {
  customer: Customer;
  result?: { saved?: string; errors?: Record<string, string> };
  submitting: boolean;
}) {
  // The tier the customer holds now: overriding starts from it, not from the lowest tier.
  const [tierId, setTierId] = useState(customer.override?.tierId ?? customer.tierId ?? customer.tiers[0]?.id ?? "");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.saved) setReason("");
  }, [result]);
  return (
    <SectionCard title="Loyalty tier">
      {customer.override ? (
        <Banner
          tone="warning"
          title={`${customer.override.setBy ? `Tier set by ${customer.override.setBy}` : "Tier set by hand"}: ${
            customer.tiers.find((tier) => tier.id === customer.override?.tierId)?.name ?? customer.override.tierId
          }`}
        >
          <Text as="p">Reason: {customer.override.reason}</Text>
        </Banner>
      ) : null}
      {result?.errors?.form ? (
        <Banner tone="critical">
          <Text as="p">{result.errors.form}</Text>
        </Banner>
      ) : null}
      {customer.tiers.length ? (
        <Form method="post">
          <BlockStack gap="200">
            <input type="hidden" name="intent" value="override" />
            <InlineStack gap="200" blockAlign="start">
              <Select
                label="Set tier by hand"
                name="tierId"
                options={customer.tiers.map((tier) => ({ label: tier.name, value: tier.id }))}
                value={tierId}
                onChange={setTierId}
                error={result?.errors?.tierId}
              />
              <TextField
                label="Reason"
                name="reason"
                value={reason}
                onChange={setReason}
                autoComplete="off"
                error={result?.errors?.reason}
              />
            </InlineStack>
            <InlineStack gap="200">
              <Button submit loading={submitting}>
                Override tier
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      ) : (
        <Text as="p">The shop has no loyalty program yet.</Text>
      )}
      {customer.override ? (
        <Form method="post">
          <input type="hidden" name="intent" value="clear-override" />
          <Button submit variant="plain">
            Remove the override
          </Button>
        </Form>
      ) : null}
      <DataTable
        columnContentTypes={["text", "text", "text", "text"]}
        headings={["Date", "From", "To", "Why"]}
        rows={customer.tierHistory.map((change) => [date(change.on), change.from, change.to, change.why])}
      />
    </SectionCard>
  );
}
