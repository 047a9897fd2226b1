import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { db } from "~/db.server";
import { previewShoppers } from "~/storefront-preview/shoppers";

// A storefront page for the local demo: pick a shopper (a guest or one of the shop's customers) and see the
// page as they would. Dev shell only, like the admin shell (docs/decisions/0003-local-dev-shell.md).

export const meta: MetaFunction = () => [{ title: "Cadence storefront preview" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!config().devShell) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const shopDomain = url.searchParams.get("shop") ?? "";
  const shop = shopDomain ? await previewShoppers(db(), shopDomain) : null;
  if (!shop) throw new Response(`Unknown shop "${shopDomain}". Start the demo with --shop to create it.`, { status: 404 });
  const requested = url.searchParams.get("customer") ?? "";
  const shopper = shop.shoppers.find((candidate) => candidate.customerId === requested) ?? null;
  if (requested && !shopper) throw new Response(`Customer ${requested} is not one of this preview's shoppers.`, { status: 404 });
  return { shop, shopper };
};

export default function StorefrontPreview() {
  const { shop, shopper } = useLoaderData<typeof loader>();
  return (
    <main style={{ maxWidth: 720, margin: "0 auto", padding: 24, fontFamily: "system-ui, sans-serif", lineHeight: 1.5 }}>
      <h1 style={{ fontSize: 22 }}>{shop.domain}: storefront preview</h1>
      <Form method="get" style={{ display: "flex", gap: 8, alignItems: "end" }}>
        <input type="hidden" name="shop" value={shop.domain} />
        <div style={{ display: "grid", gap: 4 }}>
          <label htmlFor="preview-shopper">Shopper</label>
          <select id="preview-shopper" name="customer" defaultValue={shopper?.customerId ?? ""}>
            <option value="">Guest (not logged in)</option>
            {shop.shoppers.map((candidate) => (
              <option key={candidate.customerId} value={candidate.customerId}>
                Customer {candidate.customerId} ({candidate.orders} orders)
              </option>
            ))}
          </select>
        </div>
        <button type="submit">View as this shopper</button>
      </Form>
      <section aria-label="What Cadence knows about this shopper" style={{ marginTop: 24, padding: 16, border: "1px solid #ccc", borderRadius: 8 }}>
        {shopper ? (
          <p>
            Customer {shopper.customerId}: {shopper.orders} orders, {shopper.netSpend} {shop.currencyCode} net spend, last order{" "}
            {shopper.lastOrderAt ? new Date(shopper.lastOrderAt).toISOString().slice(0, 10) : "never"}.
          </p>
        ) : (
          <p>A guest: Cadence knows nothing about this visitor.</p>
        )}
      </section>
    </main>
  );
}
