import { SectionCard } from "~/admin-ui/section-card";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, ButtonGroup, Link, Text } from "@shopify/polaris";
import type { NativeSegmentStatus } from "~/admin-data/native-segment-status";

// A segment page's card about using it in Shopify (app/admin-data/native-segment-status.ts): its state in Shopify's
// words, a link to the native segment in Shopify's admin, and the one action that applies (Use in Shopify, or Stop
// using it), plus Retry after a failure. The action posts to the segment's own route.

export const NATIVE_SEGMENT_INTENTS = {
  turn_on: "use-in-shopify",
  turn_off: "stop-using-in-shopify",
  retry: "retry-in-shopify",
} as const;

export function NativeSegmentCard({ status }: { status: NativeSegmentStatus }) {
  const fetcher = useFetcher();
  const busy = fetcher.state !== "idle";
  const post = (intent: string) => fetcher.submit({ intent }, { method: "post" });
  return (
    <SectionCard title="In Shopify">
      <Banner tone={status.tone} title={status.title}>
        <BlockStack gap="200">
          <Text as="p">{status.message}</Text>
          {status.shopifyName && status.state !== "off" ? (
            <Text as="p" tone="subdued">
              Shopify customer segment: {status.shopifyName}
            </Text>
          ) : null}
          {status.adminUrl ? (
            <Link url={status.adminUrl} target="_top">
              Open the segment in Shopify
            </Link>
          ) : null}
        </BlockStack>
      </Banner>
      <ButtonGroup>
        {status.action === "turn_on" ? (
          <Button variant="primary" loading={busy} onClick={() => post(NATIVE_SEGMENT_INTENTS.turn_on)}>
            Use in Shopify
          </Button>
        ) : null}
        {status.action === "turn_off" ? (
          <Button tone="critical" loading={busy} onClick={() => post(NATIVE_SEGMENT_INTENTS.turn_off)}>
            Stop using in Shopify
          </Button>
        ) : null}
        {status.canRetry ? (
          <Button disabled={busy} onClick={() => post(NATIVE_SEGMENT_INTENTS.retry)}>
            Retry
          </Button>
        ) : null}
      </ButtonGroup>
    </SectionCard>
  );
}
