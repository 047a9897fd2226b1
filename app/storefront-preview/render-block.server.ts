import { encodeCustomerMetafields, encodeGuestOffer } from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, EncodedMetafield, GuestOffer } from "~/storefront-contract/metafields";
import { shopifyLiquid } from "./shopify-liquid.server";

// Renders one of the extension's blocks the way a storefront would for one shopper. The metafields go through the
// contract's own encoder (the strings Cadence sends to metafieldsSet) and are decoded by type the way Shopify
// exposes them to Liquid as `metafield.value`, so publish → Liquid is exercised end to end.

export interface StorefrontPage {
  /** Omitted for a guest. `values` is what Cadence published on the customer; `identity` what Shopify knows. */
  customer?: { values: CustomerMetafieldValues; id?: string; identity?: Record<string, unknown> };
  /** Raw metafields added after the contract's encoding, for states the contract itself never produces. */
  extraCustomerMetafields?: EncodedMetafield[];
  guestOffer?: GuestOffer | null;
  locale?: "en" | "fr" | "de";
  shopCurrency?: string;
  presentmentCurrency?: string;
  moneyFormat?: string;
  settings?: Record<string, unknown>;
  designMode?: boolean;
  blockId?: string;
}

export interface BlockSchema {
  settings: Array<{ id?: string; default?: unknown }>;
}

function metafieldDrop(field: EncodedMetafield) {
  const value =
    field.type === "json" || field.type.startsWith("list.")
      ? JSON.parse(field.value)
      : field.type === "number_integer"
        ? Number(field.value)
        : field.type === "boolean"
          ? field.value === "true"
          : field.value;
  return { type: field.type, value };
}

export async function renderBlock(
  page: StorefrontPage,
  blockFile = "personalized-offer.liquid",
): Promise<{ html: string; schema: BlockSchema }> {
  const locale = page.locale ?? "en";
  const shopCurrency = page.shopCurrency ?? "GBP";
  const { engine, schemas } = shopifyLiquid({ locale, moneyFormat: page.moneyFormat ?? "£{{amount}}" });
  const template = await engine.parseFile(blockFile);
  const schema = JSON.parse(schemas.get(blockFile) ?? "null") as BlockSchema | null;
  if (!schema) throw new Error(`${blockFile} has no schema`);
  // Shopify fills a block's settings with the schema defaults until the merchant changes them.
  const defaults = Object.fromEntries(
    schema.settings.filter((setting) => setting.id).map((setting) => [setting.id, setting.default ?? null]),
  );

  const customerFields = page.customer
    ? [...encodeCustomerMetafields(page.customer.values).set, ...(page.extraCustomerMetafields ?? [])]
    : [];
  const customer = page.customer
    ? {
        ...page.customer.identity,
        id: Number(page.customer.id ?? page.customer.identity?.id),
        metafields: { $app: Object.fromEntries(customerFields.map((field) => [field.key, metafieldDrop(field)])) },
      }
    : undefined;
  const shopMetafields = page.guestOffer ? { guest_offer: metafieldDrop(encodeGuestOffer(page.guestOffer)) } : {};
  const globals = {
    ...(customer ? { customer } : {}),
    shop: { name: "Cadence Demo", currency: shopCurrency, metafields: { $app: shopMetafields } },
    cart: { currency: { iso_code: page.presentmentCurrency ?? shopCurrency } },
    request: { design_mode: page.designMode ?? false, locale: { iso_code: locale } },
  };
  const block = {
    id: page.blockId ?? "cadence_offer_preview",
    settings: { ...defaults, ...page.settings },
    shopify_attributes: "",
  };
  const html = (await engine.render(template, { block }, { globals })) as string;
  return { html, schema };
}
