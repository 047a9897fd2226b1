// The Admin API version every Cadence request targets. Webhook subscriptions in shopify.app.toml and
// shopifyApp() use the same value so payload shapes match what this module queries.
export const ADMIN_API_VERSION = "2026-04";
