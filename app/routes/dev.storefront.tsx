import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { guestOfferFor } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import { PREVIEW_COOKIE } from "~/storefront-preview/forward-proxy.server";
import { previewShop } from "~/storefront-preview/shoppers";

// A storefront page for the local demo: pick a shopper (a guest, or a customer for each case the storefront
// distinguishes) and see the Personalized offer block as they would: the extension's real Liquid rendered with
// what Cadence would publish for them, and its real script, whose beacons and opt-out go through the real app
// proxy route via a local forwarder that signs them like Shopify (app/routes/apps.cadence.$.tsx). Below it, the
// customer account extension's block for the same shopper (app/storefront-preview/account-preview.server.ts). Dev
// shell only, like the admin shell (docs/decisions/0003-local-dev-shell.md).

export const meta: MetaFunction = () => [{ title: "Cadence storefront preview" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/dev/storefront-assets/cadence-offers.css" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!config().devShell) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const shopDomain = url.searchParams.get("shop") ?? "";
  const shop = shopDomain ? await previewShop(database().prisma, shopDomain) : null;
  if (!shop)
    throw new Response(`Unknown shop "${shopDomain}". Start the demo with --shop to create it.`, { status: 404 });
  const requested = url.searchParams.get("customer") ?? "";
  const shopper = shop.shoppers.find((candidate) => candidate.customerId === requested) ?? null;
  if (requested && !shopper)
    throw new Response(`Customer ${requested} is not one of this preview's shoppers.`, { status: 404 });
  const candidate = shopper ? shop.candidates.get(shopper.customerId) : undefined;
  // Loaded only here, so a production server never loads the Liquid engine (a development dependency).
  const { renderBlock } = await import("~/storefront-preview/render-block.server");
  const guestOffer = guestOfferFor(shop.domain, await activeOffers(database().prisma, shop.id), new Date());
  const { html } = await renderBlock({
    shopCurrency: shop.currencyCode,
    ...(candidate
      ? { customer: { values: candidate.values, id: candidate.facts.shopper.customerId } }
      : { guestOffer }),
  });
  // The customer account extension's block for the same shopper, from the same published values (dev only, like the Liquid engine).
  const { accountPreviewDocument } = await import("~/storefront-preview/account-preview.server");
  const accountDocument = await accountPreviewDocument({
    origin: url.origin,
    shop,
    customer: candidate ? { id: candidate.facts.shopper.customerId, values: candidate.values } : null,
    guestOffer,
  });
  const knows = candidate && {
    tier: candidate.facts.standing?.tierName ?? null,
    segments: candidate.facts.shopper.segmentKeys,
    offer: candidate.decision ? `${candidate.decision.offer.name} (${candidate.decision.arm})` : null,
    optedOut: Boolean(candidate.facts.shopper.optedOut),
  };
  const cookie = `${PREVIEW_COOKIE}=${encodeURIComponent(
    `${shop.domain}|${shopper?.customerId ?? ""}`,
  )}; Path=/apps/cadence; HttpOnly; SameSite=Strict`;
  return Response.json(
    {
      shop: { domain: shop.domain, currencyCode: shop.currencyCode, shoppers: shop.shoppers },
      shopper,
      knows,
      html,
      accountDocument,
    },
    { headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } },
  );
};

type LoaderData = {
  shop: {
    domain: string;
    currencyCode: string;
    shoppers: Array<{
      customerId: string;
      persona: string;
      orders: number;
      netSpend: string;
      lastOrderAt: string | null;
    }>;
  };
  shopper: { customerId: string; persona: string; orders: number; netSpend: string; lastOrderAt: string | null } | null;
  knows: { tier: string | null; segments: string[]; offer: string | null; optedOut: boolean } | undefined;
  html: string;
  accountDocument: string;
};

export default function StorefrontPreview() {
  const { shop, shopper, knows, html, accountDocument } = useLoaderData<LoaderData>();
  return (
    <main
      style={{ maxWidth: 720, margin: "0 auto", padding: 24, fontFamily: "system-ui, sans-serif", lineHeight: 1.5 }}
    >
      <h1 style={{ fontSize: 22 }}>{shop.domain}: storefront preview</h1>
      {/* A full page load per shopper, as on a storefront: the block's script runs once per page. */}
      <Form method="get" reloadDocument style={{ display: "flex", gap: 8, alignItems: "end" }}>
        {/* Chromium occasionally reports a style attribute on this field at hydration (about one run in five of
            test/e2e/demo.test.ts); React renders none, so the warning is noise on this dev-only page. */}
        <input type="hidden" name="shop" value={shop.domain} suppressHydrationWarning />
        <div style={{ display: "grid", gap: 4 }}>
          <label htmlFor="preview-shopper">Shopper</label>
          <select id="preview-shopper" name="customer" defaultValue={shopper?.customerId ?? ""}>
            <option value="">Guest (not logged in)</option>
            {shop.shoppers.map((candidate) => (
              <option key={candidate.customerId} value={candidate.customerId}>
                {candidate.persona}: customer {candidate.customerId} ({candidate.orders} orders)
              </option>
            ))}
          </select>
        </div>
        <button type="submit">View as this shopper</button>
      </Form>
      <section
        aria-label="What Cadence knows about this shopper"
        style={{ marginTop: 24, padding: 16, border: "1px solid #ccc", borderRadius: 8 }}
      >
        {shopper && knows ? (
          <>
            <p>
              Customer {shopper.customerId}: {shopper.orders} orders, {shopper.netSpend} {shop.currencyCode} net spend,
              last order {shopper.lastOrderAt ? new Date(shopper.lastOrderAt).toISOString().slice(0, 10) : "never"}.
            </p>
            <p>
              Tier: {knows.tier ?? "none"}. Segments: {knows.segments.join(", ") || "none"}. Offer:{" "}
              {knows.offer ?? "none"}
              {knows.optedOut ? ". Has turned personalised offers off." : "."}
            </p>
          </>
        ) : (
          <p>A guest: Cadence knows nothing about this visitor.</p>
        )}
      </section>
      <section aria-label="Storefront" style={{ marginTop: 24 }}>
        <div data-testid="cadence-block" dangerouslySetInnerHTML={{ __html: html }} />
      </section>
      <section aria-label="Customer account page" style={{ marginTop: 24 }}>
        <h2 style={{ fontSize: 18 }}>Customer account: Profile page</h2>
        <p style={{ color: "#555" }}>
          The Cadence rewards block of the customer account extension, run from its own bundle with what Cadence would
          publish for this shopper.
          {shopper ? "" : " Shopify shows the Profile page to logged-in customers only."}
        </p>
        {/* The extension renders into its document's body, as in Shopify's sandbox: an iframe of its own. */}
        <iframe
          title="Cadence rewards block (customer account)"
          data-testid="cadence-account-block"
          srcDoc={accountDocument}
          style={{ width: "100%", height: 420, border: "1px solid #ccc", borderRadius: 8 }}
        />
      </section>
      <script src="/dev/storefront-assets/cadence-offers.js" defer />
    </main>
  );
}
