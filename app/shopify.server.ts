import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { config } from "./config.server";
import { db } from "./db.server";
import { onShopAuthenticated } from "./jobs/install.server";
import { CachedPrismaSessionStorage } from "./sessions/cached-session-storage";

// Webhook and Admin API version; shopify.app.toml declares the same one for subscriptions.
export const API_VERSION = ApiVersion.April26;

const appConfig = config();

const shopify = shopifyApp({
  apiKey: appConfig.apiKey,
  apiSecretKey: appConfig.apiSecret,
  apiVersion: API_VERSION,
  scopes: appConfig.scopes,
  appUrl: appConfig.appUrl,
  authPathPrefix: "/auth",
  sessionStorage: new CachedPrismaSessionStorage(db()),
  distribution: AppDistribution.AppStore,
  // The library logs every storefront (app proxy) request at info; Cadence's own logs say what matters.
  logger: { level: appConfig.logLevel === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await onShopAuthenticated(session.shop);
    },
  },
  ...(appConfig.customShopDomains.length ? { customShopDomains: appConfig.customShopDomains } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
