import { SectionCard } from "~/admin-ui/section-card";
import { Banner, Text } from "@shopify/polaris";
import type { SyncStatus } from "~/ingest/sync-status";
import { countOf, date, dateTime } from "../format";

// The sync page's scheduled catching-up: the last reconciliation pass (what it caught up, or why it failed) and the
// last full segment pass.

export function ReconciliationCard({
  reconciliation,
  lastFullPass,
}: Pick<SyncStatus, "reconciliation" | "lastFullPass">) {
  return (
    <SectionCard title="Reconciliation and segments" gap="200">
      <Text as="p">
        {reconciliation
          ? `Last reconciliation ${dateTime(reconciliation.lastRunAt)}: ${countOf(
              reconciliation.orders,
              "order",
            )} and ${countOf(reconciliation.customers, "customer")} caught up.`
          : "No reconciliation pass has run yet; it runs on a schedule to catch anything webhooks missed."}
      </Text>
      {reconciliation?.error ? (
        <Banner tone="critical" title="The last reconciliation failed">
          <Text as="p">{reconciliation.error}</Text>
        </Banner>
      ) : null}
      <Text as="p">
        {lastFullPass?.asOf
          ? `Last full segment pass: ${dateTime(lastFullPass.fittedAt)}, ${countOf(
              lastFullPass.customers ?? 0,
              "customer",
            )} as of ${date(lastFullPass.asOf)}.`
          : "No full segment pass yet (nightly at 03:00 UTC)."}
      </Text>
    </SectionCard>
  );
}
