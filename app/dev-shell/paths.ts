// The local dev shell stands in for Shopify's admin frame when Cadence runs without a store (`npm run demo`).
// It exists only when CADENCE_DEV_SHELL is on, which configuration refuses in production.
export const DEV_APP_BRIDGE_PATH = "/dev/app-bridge.js";
export const DEV_SESSION_TOKEN_PATH = "/dev/session-token";
export const DEV_SHELL_PATH = "/dev/shell";
