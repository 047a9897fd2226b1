import { parseHTML } from "linkedom";
import { renderBlock } from "~/storefront-preview/render-block.server";
import type { StorefrontPage } from "~/storefront-preview/render-block.server";

// The extension's blocks rendered for one shopper (app/storefront-preview/render-block.server.ts), with a logged-in
// customer's personal data in the Liquid context so tests can prove none of it reaches the HTML.

export type { StorefrontPage };

/** Personal data the storefront has about a logged-in customer; none of it may appear in Cadence's HTML. */
export const CUSTOMER_IDENTITY = {
  id: "7340105220198",
  email: "ada.lovelace@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  name: "Ada Lovelace",
  phone: "+447700900123",
} as const;

export const BLOCK_ID = "AQkzcDFhY2h2ZnJTb__cadence_offer_7Xk2Pq";

export async function renderStorefront(page: StorefrontPage, blockFile = "personalized-offer.liquid") {
  const customer = page.customer && {
    ...page.customer,
    identity: CUSTOMER_IDENTITY,
    id: page.customer.id ?? CUSTOMER_IDENTITY.id,
  };
  const { html, schema } = await renderBlock(
    { blockId: BLOCK_ID, ...page, ...(customer ? { customer } : {}) },
    blockFile,
  );
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return { html, document, schema };
}

/** Text content with whitespace collapsed, for comparing sentences. */
export function text(element: Element | null | undefined): string {
  return (element?.textContent ?? "").replace(/\s+/g, " ").trim();
}
