import { Banner, BlockStack, Text } from "@shopify/polaris";
import type { SegmentPreview } from "~/segments/rules/preview";
import { count, countOf, percent } from "../format";
import { LiveResultCard } from "../live-result-card";

// The segment builder's count of the draft's members as the merchant edits, with the warnings against segments too
// small or too like another; announced to screen readers as it changes.

export function SegmentLiveCount({
  preview,
  counting,
  conditionRefused,
}: {
  preview: SegmentPreview | null;
  /** A count is on its way. */
  counting: boolean;
  /** A condition was refused, so there is nothing to count until it is corrected. */
  conditionRefused: boolean;
}) {
  return (
    <LiveResultCard title="Live count">
      {preview ? (
        <BlockStack gap="200">
          <Text as="p" variant="headingLg">{`${count(preview.count)} of ${countOf(
            preview.customers,
            "customer",
          )}`}</Text>
          <Text as="p" tone="subdued">{`${percent(
            preview.customers ? preview.count / preview.customers : null,
            1,
          )} of your customers`}</Text>
          {preview.warnings.map((warning) => (
            <Banner key={warning.message} tone="warning">
              <Text as="p">{warning.message}</Text>
            </Banner>
          ))}
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          {counting
            ? "Counting…"
            : conditionRefused
              ? "Correct the highlighted condition to see the count."
              : "The count appears as you edit."}
        </Text>
      )}
    </LiveResultCard>
  );
}
