import { z } from "zod";
import { DEFAULT_PRIVACY_BATCH_ROWS } from "./privacy/batches";

// Configuration is read and validated once, at start-up. A production deployment with a missing secret fails
// here with a message naming the variable, instead of running with an empty string.

// Documented local defaults (README "Configuration"): they let the demo and the tests run with no env file.
// They are refused in production.
export const LOCAL_API_KEY = "cadence-local-api-key";
export const LOCAL_API_SECRET = "cadence-local-api-secret";

const booleanFlag = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((value) => value === "1" || value === "true");

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    SHOPIFY_APP_URL: z.url().optional(),
    SCOPES: z.string().optional(),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
      .optional(),
    CADENCE_DATA_DIR: z.string().min(1).default("./data"),
    CADENCE_DEV_SHELL: booleanFlag,
    CADENCE_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    CADENCE_PROXY_SHOPPER_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    CADENCE_PROXY_SHOP_PER_SECOND: z.coerce.number().int().min(1).default(1000),
    CADENCE_BACKGROUND_WORK: z.enum(["process", "inline", "off"]).optional(),
    CADENCE_PRIVACY_BATCH_ROWS: z.coerce.number().int().min(10).max(100_000).default(DEFAULT_PRIVACY_BATCH_ROWS),
  })
  .superRefine((env, context) => {
    if (!env.DATABASE_URL && env.CADENCE_BACKGROUND_WORK && env.CADENCE_BACKGROUND_WORK !== "inline") {
      context.addIssue({
        code: "custom",
        path: ["CADENCE_BACKGROUND_WORK"],
        message: "the embedded database serves one process, so its background work runs inline (set DATABASE_URL for a worker process)",
      });
    }
    if (env.NODE_ENV !== "production") return;
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "DATABASE_URL"] as const) {
      if (!env[name]) context.addIssue({ code: "custom", path: [name], message: "is required in production" });
    }
    if (env.SHOPIFY_API_SECRET === LOCAL_API_SECRET) {
      context.addIssue({ code: "custom", path: ["SHOPIFY_API_SECRET"], message: "is the public local default" });
    }
    if (env.CADENCE_DEV_SHELL) {
      context.addIssue({
        code: "custom",
        path: ["CADENCE_DEV_SHELL"],
        message: "the local dev shell bypasses Shopify's admin and cannot be enabled in production",
      });
    }
  });

// The minimum access scopes; shopify.app.toml explains each one.
export const ACCESS_SCOPES = ["read_orders", "read_all_orders", "read_customers", "write_customers", "write_discounts", "write_app_proxy"];

export interface AppConfig {
  nodeEnv: "development" | "production" | "test";
  port: number;
  apiKey: string;
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
  /**
   * Where a server runs the job workers: in a worker process of its own (PostgreSQL's default), in the server's own
   * process (the embedded database's only choice), or not at all (another instance or `npm run worker` runs them).
   */
  backgroundWork: "process" | "inline" | "off";
  /** Rows a privacy job deletes per transaction (app/privacy/batches.ts). */
  privacyBatchRows: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and process managers commonly write it.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const env = result.data;
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    apiKey: env.SHOPIFY_API_KEY ?? LOCAL_API_KEY,
    apiSecret: env.SHOPIFY_API_SECRET ?? LOCAL_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    scopes: env.SCOPES ? env.SCOPES.split(",").map((scope) => scope.trim()).filter(Boolean) : ACCESS_SCOPES,
    customShopDomains: env.SHOP_CUSTOM_DOMAIN ? [env.SHOP_CUSTOM_DOMAIN] : [],
    databaseUrl: env.DATABASE_URL,
    dataDir: env.CADENCE_DATA_DIR,
    devShell: env.CADENCE_DEV_SHELL,
    logLevel: env.CADENCE_LOG_LEVEL,
    proxyRateLimits: { perShopperPerMinute: env.CADENCE_PROXY_SHOPPER_PER_MINUTE, perShopPerSecond: env.CADENCE_PROXY_SHOP_PER_SECOND },
    backgroundWork: env.CADENCE_BACKGROUND_WORK ?? (env.DATABASE_URL ? "process" : "inline"),
    privacyBatchRows: env.CADENCE_PRIVACY_BATCH_ROWS,
  };
}

let cached: AppConfig | undefined;

export function config(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
