import { Badge, Banner, BlockStack, ProgressBar, Text } from "@shopify/polaris";
import type { SyncStatus } from "~/ingest/sync-status";
import { count, dateTime } from "../format";
import { SectionCard } from "../section-card";
import { importKindLabel, stateLabel } from "./sync-words";

// The sync page's account of the order-history import: its state, each bulk import's progress and the refund details.

export function OrderImportCard({ backfill }: { backfill: SyncStatus["backfill"] }) {
  return (
    <SectionCard title="Order history import">
      {backfill ? (
        <>
          <Text as="p">
            <Badge
              tone={backfill.state === "completed" ? "success" : backfill.state === "failed" ? "critical" : "info"}
            >
              {stateLabel(backfill.state)}
            </Badge>{" "}
            · started {dateTime(backfill.startedAt)} · finished{" "}
            {backfill.finishedAt ? dateTime(backfill.finishedAt) : "not yet"}
          </Text>
          {backfill.error ? (
            <Banner tone="critical" title="The import stopped">
              <Text as="p">{backfill.error}</Text>
            </Banner>
          ) : null}
          {backfill.imports.map((run) => (
            <BlockStack gap="100" key={`${run.kind}-${run.status}-${run.objectsDone}`}>
              <Text as="p">{`${importKindLabel(run.kind)}: ${count(run.objectsDone)} of ${
                run.objectsTotal === null ? "a number Shopify has not given yet" : count(run.objectsTotal)
              } (${stateLabel(run.status).toLowerCase()})`}</Text>
              <ProgressBar
                progress={
                  run.objectsTotal
                    ? Math.min(100, (100 * run.objectsDone) / run.objectsTotal)
                    : run.status === "done"
                      ? 100
                      : 0
                }
                size="small"
              />
            </BlockStack>
          ))}
          {backfill.refundDetails.total ? (
            <Text as="p">{`Refund details: ${count(backfill.refundDetails.done)} of ${count(
              backfill.refundDetails.total,
            )}`}</Text>
          ) : null}
        </>
      ) : (
        <Text as="p" tone="subdued">
          The import of your order history has not started. It starts when Cadence is installed from the Shopify admin.
        </Text>
      )}
    </SectionCard>
  );
}
