import { DataTable, Text } from "@shopify/polaris";
import type { SyncStatus } from "~/ingest/sync-status";
import { count, dateTime } from "../format";
import { SectionCard } from "../section-card";
import { outcomeLabel, topicLabel } from "./sync-words";

// The sync page's webhooks: the last day's outcomes, the last arrival of each topic, and recent problems in words.

export function WebhooksCard({ webhooks }: { webhooks: SyncStatus["webhooks"] }) {
  const outcomes = Object.entries(webhooks.last24hByOutcome);
  return (
    <SectionCard title="Webhooks">
      <Text as="p">
        {outcomes.length
          ? `Last 24 hours: ${outcomes.map(([outcome, n]) => `${outcomeLabel(outcome)}: ${count(n)}`).join(" · ")}`
          : "No webhook in the last 24 hours."}
      </Text>
      <DataTable
        columnContentTypes={["text", "text", "text"]}
        headings={["Topic", "Last received", "Outcome"]}
        rows={webhooks.lastByTopic.map((row) => [
          topicLabel(row.topic),
          dateTime(row.receivedAt),
          outcomeLabel(row.outcome),
        ])}
      />
      {webhooks.recentProblems.length ? (
        <>
          <Text as="h3" variant="headingSm">
            Recent problems
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["Received", "Topic", "Outcome", "Detail"]}
            rows={webhooks.recentProblems.map((row) => [
              dateTime(row.receivedAt),
              topicLabel(row.topic),
              outcomeLabel(row.outcome),
              row.detail ? row.detail.charAt(0).toUpperCase() + row.detail.slice(1) : "",
            ])}
          />
        </>
      ) : null}
    </SectionCard>
  );
}
