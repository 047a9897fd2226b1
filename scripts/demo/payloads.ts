// Shopify webhook payloads for a generated history: the public entry point for the demo seeding and the ingest
// tests. Build a payload, then serializePayload it (never JSON.stringify: IDs are bigint so they stay exact).

export {
  orderCancelledPayload,
  orderCreatePayload,
  orderUpdatedPayload,
  refundCreatePayload,
} from "./order-payloads.ts";
export {
  customerCreatePayload,
  customerEmailMarketingConsentPayload,
  customerSmsMarketingConsentPayload,
  customerUpdatePayload,
  type CustomerPayloadOptions,
} from "./customer-payloads.ts";
export { DEFAULT_SHOP, PLACEHOLDER, type DemoShop } from "./payload-parts.ts";
export { serializePayload, type PayloadObject, type PayloadValue } from "./serialize.ts";
export { stableUuid, WEBHOOK_API_VERSION, webhookHeadersFor, type WebhookHeaderOptions } from "./webhook-headers.ts";
