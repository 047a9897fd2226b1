import { SectionCard } from "~/admin-ui/section-card";
import { Banner, BlockStack, DataTable, Text } from "@shopify/polaris";
import type { OfferResults } from "~/admin-data/offers.server";
import { formatMoney, formatMoneyChange } from "~/money/format";
import { formatCount, percent, plural } from "~/segments/explain/text";

// One offer's results: each arm's figures side by side, the lift with its confidence interval, and the verdict
// app/offers/measurement/report.ts wrote. Nothing is computed here beyond turning proportions into points.

/** A difference of proportions in percentage points, signed ("+2.4 pp"). */
export function points(proportion: number): string {
  const value = proportion * 100;
  return `${value > 0 ? "+" : ""}${value.toFixed(1)} pp`;
}

const VERDICT_TONE = {
  positive: "success",
  negative: "critical",
  inconclusive: "info",
  too_early: "info",
  no_holdout: "warning",
  not_measured: "info",
} as const;
export const VERDICT_TITLE = {
  positive: "Working",
  negative: "Doing worse than no offer",
  inconclusive: "No clear difference yet",
  too_early: "Too early to tell",
  no_holdout: "Nothing to compare with",
  not_measured: "Not measured",
} as const;

/**
 * The verdict as a banner: its title, and its sentence without saying the title twice ("Too early to tell: 40 of…" →
 * "40 of…"). "Not measured" says why in its title ("Not measured: guests have no holdout"), the rest below it.
 */
function verdictWords(verdict: OfferResults["verdict"]): { title: string; body: string } {
  if (verdict.kind === "not_measured") {
    const [first = "", ...rest] = verdict.message.split(". ");
    return { title: first, body: rest.join(". ") };
  }
  const title = VERDICT_TITLE[verdict.kind];
  const rest = verdict.message.startsWith(`${title}: `) ? verdict.message.slice(title.length + 2) : verdict.message;
  return { title, body: rest.charAt(0).toUpperCase() + rest.slice(1) };
}

export function OfferResultsCard({ results }: { results: OfferResults }) {
  const { treatment: t, holdout: h } = results.arms;
  const money = (minor: number) => formatMoney(Math.round(minor), results.currency);
  const change = (minor: number) => formatMoneyChange(Math.round(minor), results.currency);
  const verdict = verdictWords(results.verdict);
  const guestsOnly =
    results.verdict.kind === "not_measured" &&
    results.arms.treatment.shoppers === 0 &&
    results.arms.holdout.shoppers === 0;
  const rows = [
    ["Views (times shown)", formatCount(t.exposures), formatCount(h.exposures)],
    ["Shoppers", formatCount(t.shoppers), formatCount(h.shoppers)],
    ["Converted", formatCount(t.conversions), formatCount(h.conversions)],
    ["Conversion rate", percent(t.conversionRate), percent(h.conversionRate)],
    ["Revenue per shopper", money(t.revenuePerShopperMinor), money(h.revenuePerShopperMinor)],
    ["Clicks", formatCount(t.clicks), formatCount(h.clicks)],
  ];
  const level = `${Math.round(results.confidence * 100)}% CI`;
  const lift = results.lift;
  return (
    <SectionCard title="Results" gap="400">
      <Banner tone={VERDICT_TONE[results.verdict.kind]} title={verdict.title}>
        <p>{verdict.body}</p>
      </Banner>
      {guestsOnly ? null : (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["", "Saw the offer", "Holdout"]}
          rows={rows}
        />
      )}
      {guestsOnly ? null : lift ? (
        <BlockStack gap="100">
          <Text as="p">
            Conversion lift: <strong>{points(lift.conversionDifference.estimate)}</strong> ({level}{" "}
            {points(lift.conversionDifference.lower)} to {points(lift.conversionDifference.upper)})
          </Text>
          {lift.revenuePerShopperDifference && (
            <Text as="p">
              Revenue per shopper: <strong>{change(lift.revenuePerShopperDifference.estimate)}</strong> ({level}{" "}
              {change(lift.revenuePerShopperDifference.lower)} to {change(lift.revenuePerShopperDifference.upper)})
            </Text>
          )}
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          Lift appears once shoppers in both groups have seen the page.
        </Text>
      )}
      <Text as="p" tone="subdued">
        Orders count within {plural(results.windowDays, "day")} of a shopper&apos;s first view. Guests:{" "}
        {plural(results.guest.exposures, "view")}, {plural(results.guest.clicks, "click")} (not compared: guests have no
        holdout).
      </Text>
    </SectionCard>
  );
}
