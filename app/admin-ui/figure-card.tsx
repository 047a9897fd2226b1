import { BlockStack, Card, Text } from "@shopify/polaris";
import { FinePrint } from "./section-card";

export function FigureCard({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        <FinePrint>{help}</FinePrint>
      </BlockStack>
    </Card>
  );
}
