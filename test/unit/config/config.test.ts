import { describe, expect, test } from "vitest";
import {
  ACCESS_SCOPES,
  ConfigError,
  LOCAL_API_KEY,
  LOCAL_API_SECRET,
  LOCAL_TOKEN_KEY,
  parseConfig,
} from "~/config.server";

const PRODUCTION = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "a-real-secret",
  SHOPIFY_APP_URL: "https://cadence.example.com",
  DATABASE_URL: "postgresql://cadence@db:5432/cadence",
  CADENCE_TOKEN_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("configuration", () => {
  test("development (NODE_ENV development or test) gets the documented local defaults", () => {
    for (const NODE_ENV of ["development", "test"]) {
      expect(parseConfig({ NODE_ENV })).toMatchObject({
        nodeEnv: NODE_ENV,
        development: true,
        port: 3000,
        apiKey: LOCAL_API_KEY,
        apiSecret: LOCAL_API_SECRET,
        appUrl: "http://localhost:3000",
        scopes: ACCESS_SCOPES,
        databaseUrl: undefined,
        dataDir: "./data",
        devShell: false,
        logLevel: "info",
        backgroundWork: "process",
      });
    }
    expect(parseConfig({ NODE_ENV: "development", CADENCE_DEV_SHELL: "1" }).devShell).toBe(true);
  });

  test("an unset NODE_ENV is production: a server or worker with nothing set refuses, naming every variable at once", () => {
    for (const role of ["server", "worker"] as const) {
      const attempt = () => parseConfig({}, role);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        /Invalid configuration \(production: NODE_ENV is production or unset\):\n {2}SHOPIFY_API_KEY: is required in production\n {2}SHOPIFY_API_SECRET: is required in production\n {2}SHOPIFY_APP_URL: is required in production\n {2}DATABASE_URL: is required in production\n {2}CADENCE_TOKEN_KEY: is required in production$/,
      );
    }
    // Only DATABASE_URL set, as the attack on an unset NODE_ENV was run: still refused, never the local secret.
    expect(() => parseConfig({ DATABASE_URL: "postgresql://db/cadence" }, "server")).toThrow(
      /SHOPIFY_API_SECRET: is required in production/,
    );
  });

  test("production with every required variable starts", () => {
    expect(parseConfig(PRODUCTION, "server")).toMatchObject({
      nodeEnv: "production",
      development: false,
      apiSecret: "a-real-secret",
      devShell: false,
    });
    const { NODE_ENV: _unset, ...withoutNodeEnv } = PRODUCTION;
    expect(parseConfig(withoutNodeEnv, "worker")).toMatchObject({ nodeEnv: "production", development: false });
  });

  test("production refuses the public local secret and the dev shell, whatever else is wrong, in one message", () => {
    expect(() => parseConfig({ ...PRODUCTION, SHOPIFY_API_SECRET: LOCAL_API_SECRET }, "server")).toThrow(
      /public local default/,
    );
    expect(() => parseConfig({ ...PRODUCTION, CADENCE_DEV_SHELL: "1" }, "server")).toThrow(
      /cannot be enabled in production/,
    );
    const everything = () =>
      parseConfig({ SHOPIFY_API_SECRET: LOCAL_API_SECRET, CADENCE_DEV_SHELL: "1", PORT: "eighty" }, "server");
    expect(everything).toThrow(/PORT: must be a whole number from 1 to 65535/);
    expect(everything).toThrow(/SHOPIFY_API_SECRET: is the public local default/);
    expect(everything).toThrow(/CADENCE_DEV_SHELL: the local dev shell/);
    expect(everything).toThrow(/DATABASE_URL: is required in production/);
  });

  test("the token key: the documented local default outside production, 32 base64 bytes, previous keys as a list", () => {
    expect(parseConfig({ NODE_ENV: "development" }).tokenKeys).toEqual({
      current: Buffer.from(LOCAL_TOKEN_KEY, "base64"),
      previous: [],
    });
    expect(Buffer.from(LOCAL_TOKEN_KEY, "base64").toString("utf8")).toBe("cadence-local-token-key-32-bytes");
    expect(() => parseConfig({ ...PRODUCTION, CADENCE_TOKEN_KEY: LOCAL_TOKEN_KEY }, "server")).toThrow(
      /CADENCE_TOKEN_KEY: is the public local default/,
    );
    expect(() =>
      parseConfig({ NODE_ENV: "development", CADENCE_TOKEN_KEY: Buffer.alloc(16).toString("base64") }),
    ).toThrow(/CADENCE_TOKEN_KEY: must be 32 bytes in base64/);
    expect(() => parseConfig({ NODE_ENV: "development", CADENCE_TOKEN_KEY: "not base64 at all!" })).toThrow(
      /CADENCE_TOKEN_KEY/,
    );
    const previous = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const rotated = parseConfig(
      { ...PRODUCTION, CADENCE_TOKEN_KEY_PREVIOUS: previous.map((key) => key.toString("base64")).join(", ") },
      "server",
    );
    expect(rotated.tokenKeys).toEqual({ current: Buffer.alloc(32, 7), previous });
    expect(() =>
      parseConfig({ NODE_ENV: "development", CADENCE_TOKEN_KEY_PREVIOUS: `${previous[0]!.toString("base64")},short` }),
    ).toThrow(/CADENCE_TOKEN_KEY_PREVIOUS/);
  });

  test("the production CLI needs only a database, and never falls back to the local secret", () => {
    const cli = parseConfig({}, "cli");
    expect(cli).toMatchObject({ nodeEnv: "production", development: false, databaseUrl: undefined, devShell: false });
    expect(() => cli.apiSecret).toThrow(/SHOPIFY_API_SECRET is not set/);
    expect(() => cli.apiKey).toThrow(/SHOPIFY_API_KEY is not set/);
    expect(() => parseConfig({ SHOPIFY_API_SECRET: LOCAL_API_SECRET }, "cli")).toThrow(/public local default/);
    expect(() => parseConfig({ CADENCE_DEV_SHELL: "1" }, "cli")).toThrow(/cannot be enabled in production/);
  });

  test("malformed values are refused with the variable's name and what it must be", () => {
    const local = { NODE_ENV: "development" };
    expect(() => parseConfig({ ...local, PORT: "eighty" })).toThrow(/PORT: must be a whole number from 1 to 65535/);
    expect(() => parseConfig({ ...local, DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ connection string/,
    );
    expect(() => parseConfig({ ...local, CADENCE_LOG_LEVEL: "loud" })).toThrow(
      /CADENCE_LOG_LEVEL: must be debug, info, warn, error or silent/,
    );
    expect(() => parseConfig({ ...local, SHOPIFY_APP_URL: "not a url" })).toThrow(
      /SHOPIFY_APP_URL: must be an absolute URL/,
    );
    expect(() => parseConfig({ NODE_ENV: "staging" })).toThrow(/NODE_ENV: must be production, development or test/);
  });

  test("the privacy job's batch size: 5,000 rows unless set, within 10 to 100,000", () => {
    const local = { NODE_ENV: "development" };
    expect(parseConfig(local).privacyBatchRows).toBe(5000);
    expect(parseConfig({ ...local, CADENCE_PRIVACY_BATCH_ROWS: "200" }).privacyBatchRows).toBe(200);
    for (const bad of ["0", "9", "100001", "lots", "2.5"]) {
      expect(() => parseConfig({ ...local, CADENCE_PRIVACY_BATCH_ROWS: bad }), bad).toThrow(
        /CADENCE_PRIVACY_BATCH_ROWS: must be a whole number from 10 to 100000/,
      );
    }
  });

  test("an empty variable counts as unset", () => {
    expect(parseConfig({ NODE_ENV: "development", DATABASE_URL: "", PORT: " " })).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
    });
    expect(() => parseConfig({ ...PRODUCTION, SHOPIFY_API_SECRET: "" }, "server")).toThrow(
      /SHOPIFY_API_SECRET: is required in production/,
    );
  });

  test("scopes are read as a trimmed comma list", () => {
    expect(parseConfig({ NODE_ENV: "test", SCOPES: "read_orders, read_customers ,," }).scopes).toEqual([
      "read_orders",
      "read_customers",
    ]);
  });

  test("the scopes in shopify.app.toml are the default scopes", async () => {
    const toml = await import("node:fs").then((fs) => fs.readFileSync("shopify.app.toml", "utf8"));
    const declared = /^scopes = "([^"]+)"/m.exec(toml)?.[1];
    expect(declared?.split(",")).toEqual(ACCESS_SCOPES);
  });
});
