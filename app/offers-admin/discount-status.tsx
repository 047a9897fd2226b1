import { Banner, Text } from "@shopify/polaris";
import type { DiscountStatus } from "~/admin-data/offer-discount-status";

// The edit page's word on a Cadence-created code (app/admin-data/offer-discount-status.ts): live, waiting for
// Shopify, deactivated, or refused with Shopify's reason and a Retry.

export function DiscountStatusBanner({
  status,
  busy,
  onRetry,
}: {
  status: DiscountStatus;
  busy: boolean;
  onRetry: () => void;
}) {
  return (
    <Banner
      tone={status.tone}
      title={status.title}
      action={status.canRetry ? { content: "Retry", onAction: onRetry, disabled: busy } : undefined}
    >
      <Text as="p">{status.message}</Text>
      {status.code && (
        <Text as="p" tone="subdued">
          Code: {status.code}
          {status.segmentName ? ` · Shopify customer segment: ${status.segmentName}` : ""}
        </Text>
      )}
    </Banner>
  );
}
