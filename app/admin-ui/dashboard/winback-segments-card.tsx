import { Link } from "@remix-run/react";
import { DataTable, Text } from "@shopify/polaris";
import type { SegmentList } from "~/admin-data/segments.server";
import { count, percent } from "../format";
import { movementHeading, movementText } from "../movement";
import { FinePrint, SectionCard } from "../section-card";

// The dashboard's win-back and occasion segments (the caller passes only those), with their size and movement.

export function WinbackSegmentsCard({ segments }: { segments: SegmentList }) {
  return (
    <SectionCard title="Win-back and occasion segments">
      {segments.segments.some((segment) => segment.customers > 0) ? (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={[
            "Segment",
            "Customers",
            "% of customers",
            movementHeading(segments.movementFrom, segments.movementSinceImport),
          ]}
          rows={segments.segments.map((segment) => [
            <Link key={segment.key} to={`/app/segments/${encodeURIComponent(segment.key)}`}>
              {segment.name}
            </Link>,
            count(segment.customers),
            percent(segment.shareOfCustomers, 1),
            movementText(segment.trend30d),
          ])}
        />
      ) : (
        <Text as="p" tone="subdued">
          No customer is in a win-back or occasion segment yet. <Link to="/app/segments">See every segment</Link>.
        </Text>
      )}
      {segments.movementFrom ? null : (
        <FinePrint>Movement in and out is counted once your order history has been imported and segmented.</FinePrint>
      )}
    </SectionCard>
  );
}
