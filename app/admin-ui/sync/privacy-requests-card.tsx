import { SectionCard } from "~/admin-ui/section-card";
import { Badge, Text } from "@shopify/polaris";
import { describePrivacyRequest } from "~/ingest/sync-status";
import type { SyncStatus } from "~/ingest/sync-status";
import { dateTime } from "../format";

// The sync page's privacy requests from Shopify: those still being carried out first, then the last finished.

export function PrivacyRequestsCard({ privacy }: { privacy: SyncStatus["privacy"] }) {
  const requests = [...privacy.pending, ...privacy.finished];
  return (
    <SectionCard title="Privacy requests" gap="200">
      <Text as="p" tone="subdued">
        Shopify&apos;s customer redactions, customer data requests and shop redactions. Cadence treats the customer as
        deleted from the moment a request arrives, and removes their data in the background.
      </Text>
      {requests.length === 0 ? (
        <Text as="p">No privacy request has arrived.</Text>
      ) : (
        requests.map((request, index) => (
          <Text as="p" key={`${request.kind}-${request.receivedAt}-${index}`}>
            {request.finishedAt ? null : <Badge tone="attention">In progress</Badge>}{" "}
            {describePrivacyRequest(request, dateTime)}
          </Text>
        ))
      )}
    </SectionCard>
  );
}
