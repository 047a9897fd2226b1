import { z } from "zod";
import { parseTrustedProxies, TrustedProxiesError } from "~/client-address/trusted-proxies";
import type { TrustedProxies } from "~/client-address/trusted-proxies";

/** Rows a privacy job deletes per batch unless configured (CADENCE_PRIVACY_BATCH_ROWS): tens of milliseconds of work. */
export const DEFAULT_PRIVACY_BATCH_ROWS = 5000;
import { TOKEN_KEY_BYTES } from "~/sessions/token-cipher";
import type { TokenKeys } from "~/sessions/token-cipher";

// Configuration is read and validated once, at start-up. A production deployment with a missing secret fails
// here with one message naming every missing or invalid variable, instead of running with an empty string.
//
// One definition of development: NODE_ENV=development (which only `npm run demo` sets) or NODE_ENV=test (which the
// test runner sets). Everything else, an unset NODE_ENV included, is production: `npm start` and `npm run worker`
// on a host where someone forgot NODE_ENV refuse to start without real secrets, and never accept the public local
// secret or serve the local dev shell.

// Documented local defaults (README "Configuration"): they let the demo and the tests run with no env file.
// They exist only in development.
export const LOCAL_API_KEY = "cadence-local-api-key";
export const LOCAL_API_SECRET = "cadence-local-api-secret";
/** The token key of the demo and the tests: base64 of the 32 ASCII bytes "cadence-local-token-key-32-bytes". */
export const LOCAL_TOKEN_KEY = "Y2FkZW5jZS1sb2NhbC10b2tlbi1rZXktMzItYnl0ZXM=";

// A token key is 32 random bytes in base64 (`openssl rand -base64 32`); anything else is refused with its length.
const tokenKey = z
  .string()
  .refine(
    (value) =>
      /^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) && Buffer.from(value.trim(), "base64").length === TOKEN_KEY_BYTES,
    {
      message: `must be ${TOKEN_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`,
    },
  );

/**
 * What this process is, declared by its entry point before the first config() call: what production requires
 * depends on it. The operator CLI never serves requests, verifies signatures or calls Shopify, so it needs only a
 * database (DATABASE_URL, or the embedded one beside a local demo). Undeclared means "server", the strictest.
 */
export type ProcessRole = "server" | "worker" | "cli";
const ROLE_KEY = Symbol.for("cadence.process-role");
type GlobalWithRole = typeof globalThis & { [ROLE_KEY]?: ProcessRole };

export function declareProcessRole(role: ProcessRole): void {
  (globalThis as GlobalWithRole)[ROLE_KEY] = role;
}

function processRole(): ProcessRole {
  return (globalThis as GlobalWithRole)[ROLE_KEY] ?? "server";
}

const booleanFlag = z
  .enum(["0", "1", "true", "false"], { error: "must be 1, 0, true or false" })
  .optional()
  .transform((value) => value === "1" || value === "true");

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` })
    .default(fallback);

const environmentSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"], { error: "must be production, development or test" })
    .default("production"),
  PORT: wholeNumber(1, 65535, 3000),
  SHOPIFY_API_KEY: z.string().min(1).optional(),
  SHOPIFY_API_SECRET: z.string().min(1).optional(),
  SHOPIFY_APP_URL: z.url({ error: "must be an absolute URL such as https://cadence.example.com" }).optional(),
  SCOPES: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
    .optional(),
  CADENCE_DATA_DIR: z.string().min(1).default("./data"),
  CADENCE_DEV_SHELL: booleanFlag,
  CADENCE_LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", "silent"], { error: "must be debug, info, warn, error or silent" })
    .default("info"),
  CADENCE_PROXY_SHOPPER_PER_MINUTE: wholeNumber(1, 1_000_000, 120),
  CADENCE_PROXY_SHOP_PER_SECOND: wholeNumber(1, 1_000_000, 1000),
  CADENCE_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, context): TrustedProxies => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        if (!(error instanceof TrustedProxiesError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
        return z.NEVER;
      }
    }),
  CADENCE_BACKGROUND_WORK: z
    .enum(["process", "inline", "off"], { error: "must be process, inline or off" })
    .default("process"),
  CADENCE_PRIVACY_BATCH_ROWS: wholeNumber(10, 100_000, DEFAULT_PRIVACY_BATCH_ROWS),
  CADENCE_TOKEN_KEY: tokenKey.optional(),
  // Keys being rotated out, comma-separated: still read, never used to seal (README "Configuration").
  CADENCE_TOKEN_KEY_PREVIOUS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(tokenKey))
    .optional(),
});

/**
 * Production's rules for a process of `role`, as issues to report together. Read from the raw variables, so a
 * malformed value elsewhere does not hide them.
 */
function productionProblems(
  env: Record<string, string | undefined>,
  role: ProcessRole,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (role !== "cli") {
    for (const name of [
      "SHOPIFY_API_KEY",
      "SHOPIFY_API_SECRET",
      "SHOPIFY_APP_URL",
      "DATABASE_URL",
      "CADENCE_TOKEN_KEY",
    ] as const) {
      if (!env[name]) problems.push({ path: name, message: "is required in production" });
    }
  }
  if (env.SHOPIFY_API_SECRET === LOCAL_API_SECRET)
    problems.push({ path: "SHOPIFY_API_SECRET", message: "is the public local default" });
  if (env.CADENCE_TOKEN_KEY?.trim() === LOCAL_TOKEN_KEY)
    problems.push({ path: "CADENCE_TOKEN_KEY", message: "is the public local default" });
  if (env.CADENCE_DEV_SHELL === "1" || env.CADENCE_DEV_SHELL === "true") {
    problems.push({
      path: "CADENCE_DEV_SHELL",
      message: "the local dev shell bypasses Shopify's admin and cannot be enabled in production",
    });
  }
  return problems;
}

// The minimum access scopes; shopify.app.toml explains each one.
export const ACCESS_SCOPES = [
  "read_orders",
  "read_all_orders",
  "read_customers",
  "write_customers",
  "write_discounts",
  "write_app_proxy",
];

export interface AppConfig {
  nodeEnv: "development" | "production" | "test";
  /** True under NODE_ENV development or test only (the one definition above). */
  development: boolean;
  port: number;
  /** The app's client ID. In production, read by a CLI that was not given it, it throws rather than default. */
  apiKey: string;
  /** The client secret. Never the local default outside development. */
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  customShopDomains: string[];
  databaseUrl: string | undefined;
  dataDir: string;
  devShell: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** App-proxy rate limits (app/storefront-proxy/rate-limit.ts). */
  proxyRateLimits: { perShopperPerMinute: number; perShopPerSecond: number };
  /** Which proxies in front of the app may say who the client is (app/client-address/trusted-proxies.ts); default none. */
  trustedProxies: TrustedProxies;
  /**
   * Where a server runs the job workers: in a worker process of its own (the default), in the server's own process,
   * or not at all (another instance or `npm run worker` runs them).
   */
  backgroundWork: "process" | "inline" | "off";
  /** Rows a privacy job deletes per transaction (app/privacy/batches.ts). */
  privacyBatchRows: number;
  /** The keys Shopify tokens are sealed with at rest (app/sessions/token-cipher.ts). */
  tokenKeys: TokenKeys;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function missing(name: string): never {
  throw new ConfigError(`${name} is not set: production has no local default for it.`);
}

export function parseConfig(source: Record<string, string | undefined>, role: ProcessRole = processRole()): AppConfig {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and process managers commonly write it.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = environmentSchema.safeParse(present);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message.replace(/^Invalid input: /, ""),
      }));
  const env = result.success ? result.data : undefined;
  const development = present.NODE_ENV === "development" || present.NODE_ENV === "test";
  if (!development) problems.push(...productionProblems(present, role));
  if (!env || problems.length) {
    const mode = development ? "" : " (production: NODE_ENV is production or unset)";
    throw new ConfigError(
      `Invalid configuration${mode}:\n${problems.map((problem) => `  ${problem.path}: ${problem.message}`).join("\n")}`,
    );
  }
  const config: AppConfig = {
    nodeEnv: env.NODE_ENV,
    development,
    port: env.PORT,
    apiKey: env.SHOPIFY_API_KEY ?? LOCAL_API_KEY,
    apiSecret: env.SHOPIFY_API_SECRET ?? LOCAL_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    scopes: env.SCOPES
      ? env.SCOPES.split(",")
          .map((scope) => scope.trim())
          .filter(Boolean)
      : ACCESS_SCOPES,
    customShopDomains: env.SHOP_CUSTOM_DOMAIN ? [env.SHOP_CUSTOM_DOMAIN] : [],
    databaseUrl: env.DATABASE_URL,
    dataDir: env.CADENCE_DATA_DIR,
    devShell: development && env.CADENCE_DEV_SHELL,
    logLevel: env.CADENCE_LOG_LEVEL,
    proxyRateLimits: {
      perShopperPerMinute: env.CADENCE_PROXY_SHOPPER_PER_MINUTE,
      perShopPerSecond: env.CADENCE_PROXY_SHOP_PER_SECOND,
    },
    trustedProxies: env.CADENCE_TRUSTED_PROXIES,
    backgroundWork: env.CADENCE_BACKGROUND_WORK,
    privacyBatchRows: env.CADENCE_PRIVACY_BATCH_ROWS,
    tokenKeys: {
      current: Buffer.from((env.CADENCE_TOKEN_KEY ?? LOCAL_TOKEN_KEY).trim(), "base64"),
      previous: (env.CADENCE_TOKEN_KEY_PREVIOUS ?? []).map((key) => Buffer.from(key, "base64")),
    },
  };
  if (!development) {
    // A production CLI was not required to have these; reaching for one is a bug, never a cue to use a default.
    if (!env.SHOPIFY_API_KEY) Object.defineProperty(config, "apiKey", { get: () => missing("SHOPIFY_API_KEY") });
    if (!env.SHOPIFY_API_SECRET)
      Object.defineProperty(config, "apiSecret", { get: () => missing("SHOPIFY_API_SECRET") });
    if (!env.SHOPIFY_APP_URL) Object.defineProperty(config, "appUrl", { get: () => missing("SHOPIFY_APP_URL") });
    if (!env.CADENCE_TOKEN_KEY) Object.defineProperty(config, "tokenKeys", { get: () => missing("CADENCE_TOKEN_KEY") });
  }
  return config;
}

let cached: AppConfig | undefined;

export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
