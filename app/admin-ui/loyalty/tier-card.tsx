import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import type { RetainAboveEnter, TierDraft } from "~/admin-data/loyalty-form";
import { decimalToMinor } from "~/money/decimal";
import { count, countOf, money } from "../format";

// One tier of the loyalty editor: its heading (with how many customers hold it now and how many are in their grace
// period), its name and thresholds, and a warning for each keep threshold above its enter threshold, with the fix.

/** A typed amount in the one money format ("£490.00"); as typed while it is not yet an amount. */
function spendText(value: string, currency: string): string {
  try {
    return money(decimalToMinor(value, currency), currency);
  } catch {
    return value;
  }
}

export function TierCard({
  index,
  tier,
  currency,
  holders,
  grace,
  errors,
  keepAbove,
  onChange,
  onRemove,
  onLowerKeep,
}: {
  index: number;
  tier: TierDraft;
  currency: string;
  /** Customers holding the saved tier now; undefined for a tier not saved yet. */
  holders: number | undefined;
  /** Its customers below the keep threshold, and the day the first of them moves down. */
  grace: { customers: number; firstEnds: string } | undefined;
  errors: Record<string, string>;
  /** The tier's keep thresholds above their enter thresholds. */
  keepAbove: RetainAboveEnter[];
  onChange: (change: Partial<TierDraft>) => void;
  onRemove: () => void;
  onLowerKeep: (fix: RetainAboveEnter) => void;
}) {
  const field = (key: keyof TierDraft, label: string, help?: string) => (
    <TextField
      label={label}
      value={tier[key]}
      onChange={(value) => onChange({ [key]: value })}
      error={errors[`tiers.${index}.${key}`]}
      helpText={help}
      autoComplete="off"
      inputMode={key === "name" ? "text" : "decimal"}
    />
  );
  return (
    // A stable handle on a tier's card (its name and heading change as the merchant types).
    <div data-tier-card={index}>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {`Tier ${index + 1}${holders !== undefined ? ` · ${countOf(holders, "customer")} now` : ""}`}
              {grace
                ? ` · ${count(grace.customers)} in their grace period (the first moves down on ${grace.firstEnds})`
                : ""}
            </Text>
            <Button
              variant="plain"
              tone="critical"
              onClick={onRemove}
              accessibilityLabel={`Remove tier ${tier.name || index + 1}`}
            >
              Remove
            </Button>
          </InlineStack>
          {field("name", "Name")}
          <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
            {field("enterSpend", `Enter at spend (${currency})`)}
            {field("enterOrders", "Enter at orders")}
            {field("retainSpend", `Keep at spend (${currency})`, "Empty: same as enter")}
            {field("retainOrders", "Keep at orders")}
          </InlineGrid>
          {keepAbove.map((fix) => {
            const amount = (value: string) =>
              fix.kind === "Spend" ? spendText(value, currency) : countOf(Number(value), "order");
            const what = amount(fix.enter);
            return (
              <Banner
                key={fix.kind}
                tone="warning"
                title={`Keep at ${amount(fix.retain)} is above Enter at ${what}`}
                action={{ content: `Lower the keep threshold to ${what} too`, onAction: () => onLowerKeep(fix) }}
              >
                <Text as="p">{`Customers would need more to keep ${
                  tier.name || "this tier"
                } than to reach it. Lower the keep threshold with it, or raise Enter at again.`}</Text>
              </Banner>
            );
          })}
        </BlockStack>
      </Card>
    </div>
  );
}
