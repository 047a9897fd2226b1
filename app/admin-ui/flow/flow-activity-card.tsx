import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { FlowOverview } from "~/publish/flow/activity.server";
import { count, dateTime } from "../format";

// The Flow page's latest triggers, each with its customer and what it said, under counts by state.

export function FlowActivityCard({ counts, recent }: Pick<FlowOverview, "counts" | "recent">) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Flow activity
          </Text>
          {counts.sent ? <Badge tone="success">{`${count(counts.sent)} sent`}</Badge> : null}
          {counts.recorded ? <Badge>{`${count(counts.recorded)} recorded`}</Badge> : null}
          {counts.pending + counts.new ? (
            <Badge tone="info">{`${count(counts.pending + counts.new)} waiting`}</Badge>
          ) : null}
          {counts.refused ? <Badge tone="critical">{`${count(counts.refused)} refused`}</Badge> : null}
        </InlineStack>
        {recent.length ? (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["When", "Trigger", "Customer", "What", "Status"]}
            rows={recent.map((row) => [
              dateTime(row.createdAt),
              row.trigger,
              <Link key={row.id} to={`/app/customers/${row.customerId}`}>
                {row.customerId}
              </Link>,
              row.description,
              row.error ? `${row.stateLabel}: ${row.error}` : row.stateLabel,
            ])}
          />
        ) : (
          <Text as="p" tone="subdued">
            No trigger yet. A customer&apos;s tier change or segment move after the first full pass appears here.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
