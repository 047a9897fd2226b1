import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Card, DataTable, EmptyState, Layout, Page } from "@shopify/polaris";
import { useEffect } from "react";
import { requireAdminShop } from "~/admin-data/shop.server";
import { count } from "~/admin-ui/format";
import { db } from "~/db.server";
import { isLive } from "~/offers/model";
import { shopOfferReports } from "~/offers/report.server";
import { listOffers } from "~/offers/store.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await requireAdminShop(db(), session.shop);
  const [offers, reports] = await Promise.all([listOffers(db(), shop.id), shopOfferReports(db(), shop.domain)]);
  const now = new Date();
  return {
    offers: offers.map((offer) => {
      const report = reports.offers.find((row) => row.offer.id === offer.id)?.report;
      const scheduled = offer.status === "active" && offer.startsAt && now < offer.startsAt;
      const ended = offer.status === "active" && offer.endsAt && now >= offer.endsAt;
      return {
        id: offer.id,
        name: offer.name,
        headline: offer.content.headline,
        status: ended ? "ended" : scheduled ? "scheduled" : offer.status === "active" && !isLive(offer, now) ? "waiting for code" : offer.status,
        audience: offer.audience.kind === "tier" ? `Tier ${offer.audience.tierKey}` : offer.audience.kind === "segment" ? offer.audience.segmentKey : offer.audience.kind === "custom_segment" ? offer.audience.segmentId.replace(/^custom:/, "custom: ") : offer.audience.kind,
        priority: offer.priority,
        exposures: report ? report.arms.treatment.exposures + report.arms.holdout.exposures : 0,
        verdict: report?.verdict.message ?? "—",
      };
    }),
  };
};

export default function Offers() {
  const { offers } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  useEffect(() => {
    if (params.get("saved") === "deleted") window.shopify?.toast.show("Draft deleted");
  }, [params]);
  return (
    <Page title="Offers" primaryAction={{ content: "Create offer", url: "/app/offers/new" }} backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            {offers.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "text"]}
                headings={["Offer", "Status", "Audience", "Priority", "Views", "Result"]}
                rows={offers.map((offer) => [
                  <Link key={offer.id} to={`/app/offers/${encodeURIComponent(offer.id)}`}>
                    {offer.name}
                  </Link>,
                  <Badge key="status" tone={offer.status === "active" ? "success" : undefined}>
                    {offer.status}
                  </Badge>,
                  offer.audience,
                  String(offer.priority),
                  count(offer.exposures),
                  offer.verdict,
                ])}
              />
            ) : (
              <EmptyState heading="Show each shopper the offer that fits" action={{ content: "Create offer", url: "/app/offers/new" }} image="">
                <p>Target a tier, a segment such as customers at risk, or guests; Cadence holds a share back to measure whether the offer works.</p>
              </EmptyState>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
