import { InlineGrid, Layout } from "@shopify/polaris";
import type { DashboardData } from "~/admin-data/dashboard.server";
import type { SyncStatus } from "~/ingest/sync-status";
import { FigureCard } from "../figure-card";
import { count, countOf, dateTime, money, percent } from "../format";

// The dashboard's headline figures: customers, repeat rate, returning revenue and order value, then the orders every
// figure counts (and those it leaves out) and the revenue at risk.

export function DashboardFigures({
  figures,
  currency,
  orderCounts,
  lastWebhookAt,
}: {
  figures: DashboardData;
  currency: string;
  orderCounts: SyncStatus["facts"];
  lastWebhookAt: string | null;
}) {
  const notCounted = orderCounts.cancelledOrders + orderCounts.testOrders;
  return (
    <>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <FigureCard
            label="Customers"
            value={count(figures.customers)}
            help={`${count(figures.buyers)} have ordered`}
          />
          <FigureCard
            label="Repeat-purchase rate"
            value={percent(figures.repeatPurchaseRate, 1)}
            help="Customers who ordered, with a second order"
          />
          <FigureCard
            label="Returning-customer revenue"
            value={percent(figures.returningRevenueShare, 1)}
            help={`${money(figures.returningRevenueMinor, currency)} of ${money(figures.revenueMinor, currency)}`}
          />
          <FigureCard
            label="Average order value"
            value={money(figures.averageOrderValueMinor, currency)}
            help={`Net revenue ÷ ${countOf(figures.orders, "order")}`}
          />
        </InlineGrid>
      </Layout.Section>
      <Layout.Section>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <FigureCard
            label="Orders"
            value={count(figures.orders)}
            help={`Every figure here counts these: orders that are not cancelled and not test orders. ${
              notCounted
                ? `${count(orderCounts.orders)} synced in all; ${countOf(
                    orderCounts.cancelledOrders,
                    "cancelled order",
                  )} and ${countOf(orderCounts.testOrders, "test order")} are left out.`
                : "None synced is left out."
            } Last webhook ${dateTime(lastWebhookAt)}.`}
          />
          <FigureCard
            label="Revenue at risk"
            value={money(figures.revenueAtRiskMinor, currency)}
            help={`12-month value of ${countOf(figures.atRiskCustomers, "customer")} at risk (lifecycle stage)`}
          />
        </InlineGrid>
      </Layout.Section>
    </>
  );
}
