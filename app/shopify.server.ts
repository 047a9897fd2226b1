import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { onShopAuthenticated } from "./jobs/install.server";

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
  sessionStorage: new PrismaSessionStorage(db()),
  distribution: AppDistribution.AppStore,
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
