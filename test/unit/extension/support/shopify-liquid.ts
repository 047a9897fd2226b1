// The Shopify-like Liquid engine lives with the storefront preview, which renders the real blocks for the demo.
export * from "~/storefront-preview/shopify-liquid.server";
