import { Layout } from "@shopify/polaris";
import { PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import type { DashboardData } from "~/admin-data/dashboard.server";
import { ClientChart } from "../client-chart";
import { countOf, month, percent } from "../format";
import { SectionCard } from "../section-card";

// The dashboard's two charts side by side: retention of the last twelve first-order months, and customers per tier.
// The page links polaris-viz's stylesheet.

/** Room for each bar and its label: polaris-viz refuses (with a console error) to squeeze them. */
const barChartHeight = (bars: number) => Math.max(160, 44 * bars + 24);

export function DashboardCharts({ figures }: { figures: Pick<DashboardData, "cohorts" | "tiers"> }) {
  const cohorts = figures.cohorts.slice(-12);
  return (
    <PolarisVizProvider>
      <Layout.Section variant="oneHalf">
        <SectionCard
          title="Retention by first-order month"
          subtitle="Share of each month's new customers who came back for a second order"
        >
          <ClientChart
            height={barChartHeight(cohorts.length)}
            empty={cohorts.length ? null : "No customer has ordered yet."}
            summary={cohorts
              .map((c) => `${month(c.cohort)}: ${percent(c.customers ? c.returned / c.customers : null)} returned`)
              .join("; ")}
          >
            {() => (
              <SimpleBarChart
                theme="Light"
                showLegend={false}
                yAxisOptions={{ labelFormatter: (value) => String(value) }}
                xAxisOptions={{ labelFormatter: (value) => `${Math.round(Number(value))}%` }}
                data={[
                  {
                    name: "Returned for a second order",
                    data: cohorts.map((c) => ({
                      key: month(c.cohort),
                      value: c.customers ? Math.round((1000 * c.returned) / c.customers) / 10 : 0,
                    })),
                  },
                ]}
              />
            )}
          </ClientChart>
        </SectionCard>
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <SectionCard title="Loyalty tiers" subtitle="Customers in each tier, lowest tier first">
          <ClientChart
            height={barChartHeight(figures.tiers.length)}
            empty={figures.tiers.length ? null : "No customer has a tier yet."}
            summary={figures.tiers.map((t) => `${t.tier}: ${countOf(t.customers, "customer")}`).join("; ")}
          >
            {() => (
              <SimpleBarChart
                theme="Light"
                showLegend={false}
                data={[{ name: "Customers", data: figures.tiers.map((t) => ({ key: t.tier, value: t.customers })) }]}
              />
            )}
          </ClientChart>
        </SectionCard>
      </Layout.Section>
    </PolarisVizProvider>
  );
}
