import { DataTable, Text } from "@shopify/polaris";
import type { CustomerDetail } from "~/admin-data/customer.server";
import { count, countOf, date, money } from "../format";
import { SectionCard } from "../section-card";

// The offers a customer has been shown (or held out of), and what they ordered since the first.

export function CustomerOffersCard({
  offersSeen,
  ordersSinceFirstOffer,
  currency,
}: Pick<CustomerDetail, "offersSeen" | "ordersSinceFirstOffer"> & { currency: string }) {
  return (
    <SectionCard title="Offers seen">
      {offersSeen.length ? (
        <>
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
            headings={["Offer", "Group", "First seen", "Views", "Clicks"]}
            rows={offersSeen.map((offer) => [
              offer.name,
              offer.arm === "holdout" ? "Holdout" : "Shown the offer",
              date(offer.firstSeenAt),
              count(offer.exposures),
              count(offer.clicks),
            ])}
          />
          {ordersSinceFirstOffer ? (
            <Text as="p">
              Since the first offer: {countOf(ordersSinceFirstOffer.orders, "order")},{" "}
              {money(ordersSinceFirstOffer.netMinor, currency)}
            </Text>
          ) : null}
        </>
      ) : (
        <Text as="p" tone="subdued">
          This customer has not been shown an offer.
        </Text>
      )}
    </SectionCard>
  );
}
