import { SectionCard } from "~/admin-ui/section-card";
import { Badge, InlineGrid, Text } from "@shopify/polaris";
import type { CustomerDetail } from "~/admin-data/customer.server";
import { countOf, date, money, percent } from "../format";

// A profiled customer's purchases beside what the models expect of them.

export function CustomerFigures({
  figures,
  predictions,
  currency,
}: {
  figures: NonNullable<CustomerDetail["figures"]>;
  predictions: NonNullable<CustomerDetail["predictions"]>;
  currency: string;
}) {
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <SectionCard title="Purchases" gap="200">
        <Text as="p">
          {countOf(figures.orders, "order")}, {money(figures.netSpendMinor, currency)} net spend, average{" "}
          {money(figures.averageOrderValueMinor, currency)}
        </Text>
        <Text as="p">
          First order {date(figures.firstOrderOn)}, last order {date(figures.lastOrderOn)}
        </Text>
      </SectionCard>
      <SectionCard
        title={
          <>Predictions {predictions.confidence ? <Badge>{`${predictions.confidence} confidence`}</Badge> : null}</>
        }
        gap="200"
      >
        <Text as="p">
          Probability still active:{" "}
          {figures.purchaseDays > 1
            ? percent(predictions.pAlive)
            : "not judged after one purchase (the model needs a second to see a rhythm)"}
        </Text>
        <Text as="p">
          Expected orders: {predictions.expectedOrders90?.toFixed(2) ?? "—"} in 90 days,{" "}
          {predictions.expectedOrders365?.toFixed(2) ?? "—"} in a year
        </Text>
        <Text as="p">Expected next order: {date(predictions.expectedNextOrderOn)}</Text>
        <Text as="p">
          Expected order value {money(predictions.expectedOrderValueMinor, currency)} · 12-month value{" "}
          {money(predictions.clv12mMinor, currency)}
        </Text>
      </SectionCard>
    </InlineGrid>
  );
}
