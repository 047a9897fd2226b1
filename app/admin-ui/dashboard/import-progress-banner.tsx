import { Banner, BlockStack, ProgressBar, Text } from "@shopify/polaris";
import { count } from "../format";

// The dashboard's word on the order-history import while it runs (records imported so far) or after it failed.

export function ImportProgressBanner({ error, done, total }: { error: string | null; done: number; total: number }) {
  return (
    <Banner
      tone={error ? "critical" : "info"}
      title={error ? "Order history import failed" : "Importing your order history"}
    >
      <BlockStack gap="200">
        <Text as="p">
          {error ??
            `${count(done)} of ${total ? count(total) : "an unknown number of"} records imported. Figures fill in as it runs.`}
        </Text>
        <ProgressBar progress={total ? Math.min(100, (100 * done) / total) : 0} size="small" />
      </BlockStack>
    </Banner>
  );
}
