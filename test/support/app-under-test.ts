import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/node";
import type { ServerBuild } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { getHmac, getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll } from "vitest";
import { config, LOCAL_API_KEY, LOCAL_API_SECRET } from "~/config.server";
import { closeDatabase, database, migrateDatabase } from "~/db.server";
import { installShop } from "~/ingest/install";
import { stopJobQueue } from "~/queue/queue.server";
import { TokenCipher } from "~/sessions/token-cipher";
import { SERVER_BUILD } from "../../server/ensure-build";
import { databaseUrl, recreateDatabase, TEMPLATE_DATABASE, withAdminClient } from "./postgres";

// The app under test is the production build, driven through Remix's real request handler: HMAC, session-token
// and app-proxy checks all run. Each test file gets its own PostgreSQL database, a copy of the migrated template on
// the project's server (test/support/postgres.ts).

export const API_KEY = LOCAL_API_KEY;
export const API_SECRET = LOCAL_API_SECRET;
export const APP_URL = "https://cadence.test";
export const ACCESS_SCOPES =
  "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy";

export interface AppUnderTest {
  /** `context`: Remix's load context, as the server gives it (the connection's `socketAddress`). */
  handle(request: Request, context?: Record<string, unknown>): Promise<Response>;
  prisma: ReturnType<typeof database>["prisma"];
  /** The app's one Database (database()): what the recompute functions take. */
  database: ReturnType<typeof database>;
}

let current: Promise<AppUnderTest> | undefined;
let closeTestDatabase: (() => Promise<void>) | undefined;

// Registered when a test file imports this module: hooks registered later, from inside the beforeAll that opens the
// database, are never run by Vitest, which left every file's PostgreSQL copy behind.
afterAll(async () => {
  const close = closeTestDatabase;
  closeTestDatabase = undefined;
  current = undefined;
  // A delivery may have started the job queue in this process (privacy webhooks nudge it after their commit): it
  // stops before its database goes.
  await stopJobQueue();
  await close?.();
});

async function openTestDatabase(): Promise<void> {
  const name = `cadence_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  await withAdminClient((admin) => recreateDatabase(admin, name, TEMPLATE_DATABASE));
  process.env.DATABASE_URL = databaseUrl(name);
  closeTestDatabase = async () => {
    await closeDatabase();
    await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  await migrateDatabase();
}

export function appUnderTest(): Promise<AppUnderTest> {
  current ??= (async () => {
    Object.assign(process.env, {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: APP_URL,
      SCOPES: ACCESS_SCOPES,
      CADENCE_LOG_LEVEL: process.env.CADENCE_LOG_LEVEL ?? "silent",
    });
    await openTestDatabase();
    const build = (await import(/* @vite-ignore */ pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
    const handler = createRequestHandler(build, "production");
    const db = database();
    return { handle: (request, context) => handler(request, context), prisma: db.prisma, database: db };
  })();
  return current;
}

/** The cipher the app seals session tokens with (the local default key in tests). */
export const testTokenCipher = () => new TokenCipher(config().tokenKeys);

/**
 * A shop that has installed the app: its row and an offline session, as after Shopify's token exchange (the token
 * sealed as the app's session storage stores it); returns its ID.
 */
export async function installTestShop(app: AppUnderTest, shop: string, currencyCode = "GBP"): Promise<string> {
  const shopId = await installShop(app.prisma, shop, currencyCode);
  const session = new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false });
  session.scope = ACCESS_SCOPES;
  const accessToken = testTokenCipher().seal(`shpat_test_${shop}`, { sessionId: session.id, column: "accessToken" });
  await app.prisma.session.upsert({
    where: { id: session.id },
    create: { id: session.id, shop, state: session.state, isOnline: false, scope: session.scope, accessToken },
    update: {},
  });
  return shopId;
}

export interface WebhookOptions {
  shop: string;
  topic: string;
  body: string;
  webhookId?: string;
  eventId?: string;
  hmac?: string;
  /** X-Shopify-Triggered-At (ISO 8601): when Shopify says the event happened; now unless given. */
  triggeredAt?: string;
}

/** A webhook delivery exactly as Shopify sends it, signed with the app secret unless `hmac` overrides it. */
export function webhookRequest(options: WebhookOptions): Request {
  return new Request(`${APP_URL}/webhooks`, {
    method: "POST",
    body: options.body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": options.hmac ?? getHmac(options.body, API_SECRET),
    },
  });
}

/** A request from the embedded admin, carrying a session token signed like Shopify's (App Bridge's fetch). */
export async function adminRequest(path: string, shop: string, init: RequestInit = {}): Promise<Request> {
  const { token } = await getJwt(shop.replace(/\.myshopify\.com$/, ""), API_KEY, API_SECRET);
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${APP_URL}${path}`, { ...init, headers });
}

/** The loader data of one route from a Remix single-fetch (`.data`) response, decoded as the browser would. */
export async function singleFetchData<T = Record<string, unknown>>(response: Response, routeId: string): Promise<T> {
  const { decode } = await import("turbo-stream");
  if (!response.body) throw new Error("single-fetch response has no body");
  const decoded = await decode(response.body);
  await decoded.done;
  const routes = decoded.value as Record<string, { data?: T; error?: unknown }>;
  const route = routes[routeId];
  if (!route || !("data" in route)) throw new Error(`no data for ${routeId}: ${JSON.stringify(routes)}`);
  return route.data as T;
}

/**
 * A form submission from the embedded admin, as Remix's single fetch sends it: POST to `PATH.data` (`/app.data?index`
 * for the index route) with a session token. Decode the answer with `singleFetchActionData`.
 */
export function adminFormRequest(
  path: string,
  shop: string,
  fields: Record<string, string | string[]>,
): Promise<Request> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  const [pathname, query] = path.split("?");
  const dataPath = `${pathname === "/" ? "/_root" : pathname}.data${query ? `?${query}` : ""}`;
  return adminRequest(dataPath, shop, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
}

/** What an action returned (or threw), from a single-fetch action response. Redirects come back as `{ redirect }`. */
export async function singleFetchActionData<T = Record<string, unknown>>(
  response: Response,
): Promise<{ data?: T; error?: unknown; redirect?: string }> {
  const { decode } = await import("turbo-stream");
  if (!response.body) throw new Error("single-fetch response has no body");
  const decoded = await decode(response.body);
  await decoded.done;
  return decoded.value as { data?: T; error?: unknown; redirect?: string };
}
