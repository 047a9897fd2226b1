import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { TrackRecordData } from "~/admin-data/track-record.server";
import { count, date, percent } from "../format";

// "How right were the predictions?": the latest full pass's backtest in plain words, the confidence label it gives,
// and (on the dashboard) the earlier passes. Self-contained so a page adds it with one line.

const TONE = { high: "success", medium: "attention", low: "warning" } as const;
const CONFIDENCE_WORDS = { high: "High confidence", medium: "Medium confidence", low: "Low confidence" } as const;

export function PredictionTrackRecord({ data, showHistory = true }: { data: TrackRecordData; showHistory?: boolean }) {
  const { latest, history } = data;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            How right were the predictions?
          </Text>
          {latest ? <Badge tone={TONE[latest.confidence]}>{CONFIDENCE_WORDS[latest.confidence]}</Badge> : null}
        </InlineStack>
        {latest ? (
          <>
            <Text as="p" variant="bodyLg">
              {latest.headline} {latest.ranking ?? ""}
            </Text>
            <Text as="p" tone="subdued">
              Cadence refitted its models on your orders up to {date(latest.cutoff)}, predicted the next{" "}
              {count(latest.horizonDays)} days and compared them with what happened. {latest.model}
            </Text>
            <Text as="p" tone="subdued">
              {latest.seasonality}
            </Text>
            <Text as="p" tone="subdued">
              Why this confidence: {latest.confidenceReason.replace(/^backtest: /, "")}.
            </Text>
            {showHistory && history.length > 1 ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={["Checked on", "Repeat orders expected", "Came", "Ranked correctly"]}
                rows={history.map((row) => [
                  date(row.asOf),
                  count(Math.round(row.expectedOrders)),
                  count(row.actualOrders),
                  percent(row.auc),
                ])}
              />
            ) : null}
          </>
        ) : (
          <Text as="p" tone="subdued">
            No track record yet: Cadence checks its predictions against what happened at each full segmentation pass
            once the shop has about three months of orders.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
