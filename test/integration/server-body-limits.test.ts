import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { OutgoingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../server/start-server";
import type { RunningServer } from "../../server/start-server";
import { API_SECRET, appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { largeOrderObject } from "../support/webhook-payloads";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";

// The production server (server/start-server.ts) over real HTTP, sent the bodies the issue was seen with: a
// 400 MB webhook with a bad HMAC and a 300 MB app-proxy beacon. The server must answer 413 and stop receiving: what
// the client manages to send before the connection is closed is the limit plus what the kernel's socket buffers take,
// not the body. bench/body-limits.ts prints the server process's memory for the same requests.

const SHOP = "server-body-limits.myshopify.com";
const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "x");
// Loopback socket buffers (both ends) hold a few megabytes a client can write before the server reads anything.
const SOCKET_SLACK = 16 * MB;
let app: AppUnderTest;
let server: RunningServer;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
  server = await startServer({ port: 0, backgroundWork: false });
});
afterAll(() => server?.close());

interface Outcome {
  status?: number;
  body?: string;
  /** Bytes of body the client wrote before the server answered or closed the connection. */
  written: number;
  error?: string;
}

/**
 * POSTs up to `total` bytes of body, written as fast as the connection accepts them, and stops writing as soon as the
 * server answers or drops the connection. `declared`: send that Content-Length (and no body unless `send`).
 */
function upload(
  path: string,
  headers: OutgoingHttpHeaders,
  total: number,
  options: { method?: string; expectContinue?: boolean } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = httpRequest({
      host: "127.0.0.1",
      port: server.port,
      path,
      method: options.method ?? "POST",
      headers,
    });
    let written = 0;
    let stopped = false;
    request.on("response", (response) => {
      stopped = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => resolve({ status: response.statusCode, body, written }));
      response.on("error", () => resolve({ status: response.statusCode, body, written }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      stopped = true;
      resolve({ written, error: error.code ?? error.message });
    });
    const pump = () => {
      while (!stopped && written < total) {
        written += CHUNK.byteLength;
        if (!request.write(CHUNK)) return void request.once("drain", pump);
      }
      if (!stopped) request.end();
    };
    if (options.expectContinue) request.once("continue", pump);
    else if (total > 0) pump();
    else request.end();
  });
}

const webhookHeaders = (extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders => ({
  "Content-Type": "application/json",
  "X-Shopify-Topic": "orders/create",
  "X-Shopify-Shop-Domain": SHOP,
  "X-Shopify-API-Version": "2026-04",
  "X-Shopify-Webhook-Id": "body-limit-test",
  // Shopify's format, another body's digest: a forger's delivery.
  "X-Shopify-Hmac-Sha256": createHmac("sha256", "not-the-secret").update("x").digest("base64"),
  ...extra,
});

const beaconPath = () =>
  `/proxy/events?${signProxyQuery(
    [...proxyParams(SHOP, null), ["type", "exposure"], ["offer", "none"], ["arm", "treatment"], ["surface", "block"]],
    API_SECRET,
  )}`;

describe("a declared Content-Length over the limit is refused before the body is sent", () => {
  test.each([
    ["/webhooks", webhookHeaders(), /a Shopify webhook may be at most 16 MB/],
    ["app proxy", {}, /Request bodies are not accepted/],
    [
      "/app/settings.data",
      { "Content-Type": "application/x-www-form-urlencoded" },
      /an admin form may be at most 64 KB/,
    ],
  ])("%s: 413 with its message", async (path, headers, message) => {
    const target = path === "app proxy" ? beaconPath() : path;
    const outcome = await upload(target, { ...headers, "Content-Length": String(400 * MB) }, 0);
    expect(outcome).toMatchObject({ status: 413, body: expect.stringMatching(message), written: 0 });
  });

  test("a client that asks first (Expect: 100-continue) is told 413 and never sends", async () => {
    const outcome = await upload(
      "/webhooks",
      webhookHeaders({ "Content-Length": String(400 * MB), Expect: "100-continue" }),
      400 * MB,
      { expectContinue: true },
    );
    expect(outcome).toMatchObject({ status: 413, written: 0 });
  });
});

describe("a body without a declared length is cut off at the limit", () => {
  test("400 MB to /webhooks with a bad HMAC: the server stops receiving after 16 MB", async () => {
    const outcome = await upload("/webhooks", webhookHeaders({ "Transfer-Encoding": "chunked" }), 400 * MB);
    expect(outcome.written).toBeLessThan(16 * MB + SOCKET_SLACK);
    if (outcome.status !== undefined)
      expect(outcome).toMatchObject({ status: 413, body: expect.stringMatching(/at most 16 MB/) });
    else expect(outcome.error).toMatch(/ECONNRESET|EPIPE/);
  });

  test("300 MB to an app-proxy route: the server stops receiving at the first byte", async () => {
    const outcome = await upload(beaconPath(), { "Transfer-Encoding": "chunked" }, 300 * MB);
    expect(outcome.written).toBeLessThan(SOCKET_SLACK);
    if (outcome.status !== undefined)
      expect(outcome).toMatchObject({ status: 413, body: expect.stringMatching(/Request bodies are not accepted/) });
    expect(await app.prisma.offerEvent.count()).toBe(0);
  });

  test("a GET with a body to an app-proxy route is refused too", async () => {
    const path = `/proxy/offer?${signProxyQuery(proxyParams(SHOP, null), API_SECRET)}`;
    const outcome = await upload(path, { "Content-Length": String(CHUNK.byteLength) }, CHUNK.byteLength, {
      method: "GET",
    });
    expect(outcome).toMatchObject({ status: 413 });
  });
});

describe("what fits is served", () => {
  test("an order of 1,000 refunded line items, signed, is stored through the server", async () => {
    const body = JSON.stringify(largeOrderObject("9200000001", 1000));
    const response = await fetch(`${server.url}/webhooks`, {
      method: "POST",
      headers: {
        ...(webhookHeaders({ "X-Shopify-Webhook-Id": "body-limit-large-order" }) as Record<string, string>),
        "X-Shopify-Hmac-Sha256": createHmac("sha256", API_SECRET).update(body).digest("base64"),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await app.prisma.orderLine.count({ where: { order: { shopifyId: "9200000001" } } })).toBe(1000);
  });

  test("a request refused for its size does not stop the server answering the next one", async () => {
    const response = await fetch(`${server.url}/proxy/offer?${signProxyQuery(proxyParams(SHOP, null), API_SECRET)}`);
    expect(response.status).toBe(200);
  });
});
