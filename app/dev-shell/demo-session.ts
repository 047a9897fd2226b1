// The demo shop's offline session holds this placeholder instead of an access token: the demo has no Shopify store.
// Background work recognises it and calls no Shopify for that shop (app/jobs/background.server.ts), so the demo's
// pages say what is waiting for Shopify instead of sending a token Shopify never issued.
export const DEMO_ACCESS_TOKEN = "demo-offline-token-never-sent";
