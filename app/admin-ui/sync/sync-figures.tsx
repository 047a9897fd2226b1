import { InlineGrid } from "@shopify/polaris";
import type { SyncStatus } from "~/ingest/sync-status";
import { FigureCard } from "../figure-card";
import { count, countOf } from "../format";

// The sync page's counts: orders received and counted, customers, and the work queued behind them.

export function SyncFigures({ facts, pending }: Pick<SyncStatus, "facts" | "pending">) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <FigureCard
        label="Orders"
        value={count(facts.countedOrders)}
        help={`Counted in every figure: not cancelled, not test orders. ${count(
          facts.orders,
        )} received from Shopify; not counted: ${countOf(facts.cancelledOrders, "cancelled order")}, ${countOf(
          facts.testOrders,
          "test order",
        )}.`}
      />
      <FigureCard label="Customers" value={count(facts.customers)} />
      <FigureCard
        label="Profiles waiting for refresh"
        value={count(pending.profileRefresh)}
        help="Refreshed every minute"
      />
      <FigureCard label="Shoppers waiting to publish" value={count(pending.publish)} />
    </InlineGrid>
  );
}
