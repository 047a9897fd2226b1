import { BlockStack, Text } from "@shopify/polaris";
import type { CustomerLabel } from "~/admin-data/customer.server";
import { FinePrint, SectionCard } from "../section-card";

// A customer's labels (tier, RFM group, lifecycle stage, segments), each with the reason Cadence stored for it.

export function CustomerLabelsCard({ labels }: { labels: CustomerLabel[] }) {
  return (
    <SectionCard title="Labels and why">
      {labels.map((label) => (
        <BlockStack key={label.key} gap="100">
          <Text as="h3" variant="headingSm">
            {label.family === label.label ? label.label : `${label.family}: ${label.label}`}
          </Text>
          <Text as="p">{label.reason ?? "No explanation stored yet."}</Text>
          <FinePrint>{label.note}</FinePrint>
        </BlockStack>
      ))}
    </SectionCard>
  );
}
