import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LOCAL_API_SECRET } from "~/config.server";
import { freePort } from "../support/demo-env";
import { scratchDatabase } from "../support/postgres";
import { childEnv } from "../support/processes";

// `npm start` and `npm run worker` as an operator runs them, with no NODE_ENV: production. Only the demo and the
// tests are development (app/config.server.ts), so a forgotten NODE_ENV never opens the public local secret or the dev
// shell to the network.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
let database: Awaited<ReturnType<typeof scratchDatabase>>;

function run(
  script: string,
  env: Record<string, string>,
): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const inherited: Record<string, string | undefined> = { ...process.env };
  // What an operator's shell would not have: the test runner's development markers and database.
  for (const name of [
    "NODE_ENV",
    "DATABASE_URL",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "SHOPIFY_APP_URL",
    "CADENCE_DEV_SHELL",
    "CADENCE_TOKEN_KEY",
  ])
    delete inherited[name];
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    env: childEnv({ ...inherited, CADENCE_LOG_LEVEL: "warn", ...env }),
  });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

beforeAll(async () => {
  database = await scratchDatabase("cadence_production_start");
});
afterAll(async () => {
  await database?.drop();
});

describe("a production start with NODE_ENV unset", () => {
  test.each([["server/serve.ts"], ["server/worker.ts"]])(
    "%s with only DATABASE_URL refuses, naming every missing variable",
    async (script) => {
      const started = run(script, { DATABASE_URL: database.url });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain("Invalid configuration (production: NODE_ENV is production or unset):");
      for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "CADENCE_TOKEN_KEY"])
        expect(started.output()).toContain(`${name}: is required in production`);
      expect(started.output()).not.toContain("DATABASE_URL:");
    },
  );

  test("the public local secret and the dev shell are refused together", async () => {
    const started = run("server/serve.ts", {
      DATABASE_URL: database.url,
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: LOCAL_API_SECRET,
      SHOPIFY_APP_URL: "https://cadence.example.com",
      CADENCE_DEV_SHELL: "1",
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain("SHOPIFY_API_SECRET: is the public local default");
    expect(started.output()).toContain("CADENCE_DEV_SHELL: the local dev shell bypasses Shopify's admin");
  });

  test("with real secrets it serves; a webhook signed with the local secret is 401 and the dev shell does not exist", async () => {
    const port = await freePort();
    const server = run("server/serve.ts", {
      DATABASE_URL: database.url,
      SHOPIFY_API_KEY: "production-key",
      SHOPIFY_API_SECRET: "a-production-secret",
      SHOPIFY_APP_URL: "https://cadence.example.com",
      CADENCE_TOKEN_KEY: Buffer.alloc(32, 9).toString("base64"),
      PORT: String(port),
      HOST: "127.0.0.1",
      CADENCE_BACKGROUND_WORK: "off",
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (server.output().includes("Cadence listening")) {
            clearInterval(timer);
            resolve();
          }
        }, 100);
        void server.exited.then(() => reject(new Error(`the server exited:\n${server.output()}`)));
      });
      expect(server.output()).not.toContain("(development)");
      const body = JSON.stringify({ id: 1, domain: "attacker.myshopify.com" });
      const forged = await fetch(`http://127.0.0.1:${port}/webhooks`, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "shop/redact",
          "X-Shopify-Shop-Domain": "victim.myshopify.com",
          "X-Shopify-Webhook-Id": "forged-1",
          "X-Shopify-API-Version": "2026-04",
          "X-Shopify-Hmac-Sha256": getHmac(body, LOCAL_API_SECRET),
        },
      });
      expect(forged.status).toBe(401);
      for (const devPath of [
        "/dev/session-token?shop=victim.myshopify.com",
        "/dev/shell?shop=victim.myshopify.com",
        "/dev/storefront?shop=victim.myshopify.com",
      ]) {
        const response = await fetch(`http://127.0.0.1:${port}${devPath}`, {
          headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/153.0 Safari/537.36" },
        });
        expect(response.status, devPath).toBe(404);
      }
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  });
});
