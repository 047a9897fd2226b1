import { describe, expect, test } from "vitest";
import { ACCESS_SCOPES, ConfigError, LOCAL_API_KEY, LOCAL_API_SECRET, parseConfig } from "../../../app/config.server";

const PRODUCTION = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "a-real-secret",
  SHOPIFY_APP_URL: "https://cadence.example.com",
  DATABASE_URL: "postgresql://cadence@db:5432/cadence",
};

describe("configuration", () => {
  test("a bare development environment gets the documented local defaults", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      nodeEnv: "development",
      port: 3000,
      apiKey: LOCAL_API_KEY,
      apiSecret: LOCAL_API_SECRET,
      appUrl: "http://localhost:3000",
      scopes: ACCESS_SCOPES,
      databaseUrl: undefined,
      dataDir: "./data",
      devShell: false,
      logLevel: "info",
    });
  });

  test("production with every required variable starts", () => {
    expect(parseConfig(PRODUCTION)).toMatchObject({ nodeEnv: "production", apiSecret: "a-real-secret", devShell: false });
  });

  test("production names each missing variable instead of running with an empty secret", () => {
    const attempt = () => parseConfig({ NODE_ENV: "production" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/SHOPIFY_API_KEY: is required in production/);
    expect(attempt).toThrow(/SHOPIFY_API_SECRET: is required in production/);
    expect(attempt).toThrow(/SHOPIFY_APP_URL: is required in production/);
    expect(attempt).toThrow(/DATABASE_URL: is required in production/);
  });

  test("production refuses the public local secret and the dev shell", () => {
    expect(() => parseConfig({ ...PRODUCTION, SHOPIFY_API_SECRET: LOCAL_API_SECRET })).toThrow(/public local default/);
    expect(() => parseConfig({ ...PRODUCTION, CADENCE_DEV_SHELL: "1" })).toThrow(/cannot be enabled in production/);
  });

  test("malformed values are refused with the variable's name", () => {
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ connection string/);
    expect(() => parseConfig({ CADENCE_LOG_LEVEL: "loud" })).toThrow(/CADENCE_LOG_LEVEL/);
    expect(() => parseConfig({ SHOPIFY_APP_URL: "not a url" })).toThrow(/SHOPIFY_APP_URL/);
  });

  test("the privacy job's batch size: 5,000 rows unless set, within 10 to 100,000", () => {
    expect(parseConfig({}).privacyBatchRows).toBe(5000);
    expect(parseConfig({ CADENCE_PRIVACY_BATCH_ROWS: "200" }).privacyBatchRows).toBe(200);
    for (const bad of ["0", "9", "100001", "lots", "2.5"]) expect(() => parseConfig({ CADENCE_PRIVACY_BATCH_ROWS: bad }), bad).toThrow(/CADENCE_PRIVACY_BATCH_ROWS/);
  });

  test("an empty variable counts as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: " " })).toMatchObject({ databaseUrl: undefined, port: 3000 });
    expect(() => parseConfig({ ...PRODUCTION, SHOPIFY_API_SECRET: "" })).toThrow(/SHOPIFY_API_SECRET: is required in production/);
  });

  test("scopes are read as a trimmed comma list", () => {
    expect(parseConfig({ SCOPES: "read_orders, read_customers ,," }).scopes).toEqual(["read_orders", "read_customers"]);
  });

  test("the scopes in shopify.app.toml are the default scopes", async () => {
    const toml = await import("node:fs").then((fs) => fs.readFileSync("shopify.app.toml", "utf8"));
    const declared = /^scopes = "([^"]+)"/m.exec(toml)?.[1];
    expect(declared?.split(",")).toEqual(ACCESS_SCOPES);
  });
});
