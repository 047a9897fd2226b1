import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { onShopAuthenticated } from "~/ingest/install.server";
import { CachedPrismaSessionStorage } from "~/sessions/cached-session-storage";
import { TokenCipher } from "~/sessions/token-cipher";

// Webhook and Admin API version; shopify.app.toml declares the same one for subscriptions.
export const API_VERSION = ApiVersion.April26;

const appConfig = config();
const appUrl = new URL(appConfig.appUrl);
const logLevel = appConfig.logLevel === "debug" ? LogSeverity.Debug : LogSeverity.Warning;

// Shopify's own token refresh (auth.refreshToken: the token endpoint, the request and the new session as the library
// builds them), called by the session storage under the session's row lock, so a refresh happens once across
// processes (app/sessions/offline-token-refresh.ts). shopifyApp() builds the same API object internally but does not
// expose it; this one has the same credentials and shop-domain rules.
const tokenApi = shopifyApi({
  apiKey: appConfig.apiKey,
  apiSecretKey: appConfig.apiSecret,
  apiVersion: API_VERSION,
  scopes: appConfig.scopes,
  hostName: appUrl.host,
  hostScheme: appUrl.protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: { level: logLevel },
  ...(appConfig.customShopDomains.length ? { customShopDomains: appConfig.customShopDomains } : {}),
});

const shopify = shopifyApp({
  apiKey: appConfig.apiKey,
  apiSecretKey: appConfig.apiSecret,
  apiVersion: API_VERSION,
  scopes: appConfig.scopes,
  appUrl: appConfig.appUrl,
  authPathPrefix: "/auth",
  sessionStorage: new CachedPrismaSessionStorage(database().prisma, new TokenCipher(appConfig.tokenKeys), {
    refresh: async (shop, refreshToken) => (await tokenApi.auth.refreshToken({ shop, refreshToken })).session,
  }),
  distribution: AppDistribution.AppStore,
  // The library logs every storefront (app proxy) request at info; Cadence's own logs say what matters.
  logger: { level: logLevel },
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
