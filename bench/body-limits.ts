// `npm run bench:body-limits [-- --checkout PATH] [--repeat N]`: what large request bodies cost the production server.
// The server (server/serve.ts, its own process, on PostgreSQL) is sent the bodies issue 15 was seen with — 400 MB to
// /webhooks with a bad HMAC, declared and undeclared; 300 MB to an app-proxy route — plus twenty such webhooks at once,
// and a signed 3 MB order of 1,000 refunded line items, which must pass. For each: the answer, how much body the
// client got to send before the server answered or closed the connection, and the server's peak resident memory
// above what it used before (Linux's VmHWM, reset before each request through /proc/PID/clear_refs). Body sent is
// the median over --repeat runs (default 3); memory is the largest of them, since a heap that grew in one run is
// reused by the next. --checkout runs another checkout's server (say, one of main) for comparison; --concurrent N
// sets the concurrent case's count (0 leaves it out).
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { OutgoingHttpHeaders } from "node:http";
import path from "node:path";
import { proxyParams, signProxyQuery } from "../app/storefront-proxy/sign";
import { startServerProcess } from "../test/support/server-process";
import { largeOrderObject } from "../test/support/webhook-payloads";
import { benchServer } from "./postgres";

const DATABASE = "cadence_bench_body_limits";
const SECRET = "cadence-bench-secret";
const SHOP = "bench-body-limits.myshopify.com";
const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "x");

const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const checkout = path.resolve(argument("--checkout") ?? path.join(import.meta.dirname, ".."));
const repeat = Number(argument("--repeat") ?? 3);
// 0 leaves the concurrent case out (against a server without limits it would need 20 × 400 MB and more).
const concurrent = Number(argument("--concurrent") ?? 20);

const kilobytes = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN);

interface Outcome {
  status: number | string;
  written: number;
}

/** POSTs up to `total` bytes as fast as the connection takes them; stops at the answer or when the server closes. */
function upload(
  port: number,
  target: string,
  headers: OutgoingHttpHeaders,
  total: number,
  body?: Buffer,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = httpRequest({ host: "127.0.0.1", port, path: target, method: "POST", headers });
    let written = 0;
    let stopped = false;
    request.on("response", (response) => {
      stopped = true;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, written }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      stopped = true;
      resolve({ status: error.code ?? "error", written });
    });
    if (body) {
      written = body.byteLength;
      return void request.end(body);
    }
    const pump = () => {
      while (!stopped && written < total) {
        written += CHUNK.byteLength;
        if (!request.write(CHUNK)) return void request.once("drain", pump);
      }
      if (!stopped) request.end();
    };
    if (total > 0) pump();
    else request.end();
  });
}

const webhookHeaders = (hmac: string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders => ({
  "Content-Type": "application/json",
  "X-Shopify-Topic": "orders/updated",
  "X-Shopify-Shop-Domain": SHOP,
  "X-Shopify-API-Version": "2026-04",
  "X-Shopify-Webhook-Id": `bench-${Math.random()}`,
  "X-Shopify-Hmac-Sha256": hmac,
  ...extra,
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

async function main() {
  const postgres = await benchServer();
  const databaseUrl = await postgres.freshDatabase(DATABASE);
  const server = await startServerProcess(
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://cadence.bench.example",
      CADENCE_TOKEN_KEY: Buffer.alloc(32, 5).toString("base64"),
    },
    { cwd: checkout },
  );
  const port = Number(new URL(server.url).port);
  const forged = createHmac("sha256", "not-the-secret").update("x").digest("base64");
  const order = Buffer.from(JSON.stringify(largeOrderObject("9900000001", 1000)));
  // Signed like Shopify's proxy: the body is what is unsigned.
  const beacon = `/proxy/events?${signProxyQuery(
    [...proxyParams(SHOP, null), ["type", "exposure"], ["offer", "x"], ["arm", "treatment"], ["surface", "block"]],
    SECRET,
  )}`;
  const cases: Array<[string, () => Promise<Outcome[]>]> = [
    [
      "400 MB webhook, bad HMAC, chunked",
      async () => [
        await upload(port, "/webhooks", webhookHeaders(forged, { "Transfer-Encoding": "chunked" }), 400 * MB),
      ],
    ],
    [
      "400 MB webhook, bad HMAC, Content-Length",
      async () => [
        await upload(port, "/webhooks", webhookHeaders(forged, { "Content-Length": String(400 * MB) }), 400 * MB),
      ],
    ],
    [
      "300 MB app-proxy beacon, chunked",
      async () => [await upload(port, beacon, { "Transfer-Encoding": "chunked" }, 300 * MB)],
    ],
    [
      `${concurrent} × 400 MB webhooks at once, chunked`,
      () =>
        Promise.all(
          Array.from({ length: concurrent }, () =>
            upload(port, "/webhooks", webhookHeaders(forged, { "Transfer-Encoding": "chunked" }), 400 * MB),
          ),
        ),
    ],
    [
      `signed ${(order.byteLength / MB).toFixed(1)} MB order, 1,000 refunded lines`,
      async () => [
        await upload(
          port,
          "/webhooks",
          webhookHeaders(createHmac("sha256", SECRET).update(order).digest("base64"), {
            "Content-Length": String(order.byteLength),
          }),
          0,
          order,
        ),
      ],
    ],
  ];
  try {
    // Warm-up: the first requests load and compile the routes.
    for (let index = 0; index < 3; index += 1)
      await upload(port, "/webhooks", webhookHeaders(forged, { "Content-Length": "2" }), 0, Buffer.from("{}"));
    console.log(
      `${postgres.label}; server: ${checkout} (pid ${server.pid}), resident ${(
        kilobytes(server.pid, "VmRSS") / 1024
      ).toFixed(0)} MB after warm-up; ${repeat} runs each`,
    );
    for (const [name, run] of cases.filter(([name]) => concurrent > 0 || !name.includes("at once"))) {
      const peaks: number[] = [];
      const highs: number[] = [];
      const sent: number[] = [];
      let statuses = "";
      for (let round = 0; round < repeat; round += 1) {
        const before = kilobytes(server.pid, "VmRSS");
        writeFileSync(`/proc/${server.pid}/clear_refs`, "5");
        const outcomes = await run();
        const high = kilobytes(server.pid, "VmHWM");
        highs.push(high / 1024);
        peaks.push((high - before) / 1024);
        sent.push(Math.max(...outcomes.map((outcome) => outcome.written)) / MB);
        statuses = [...new Set(outcomes.map((outcome) => outcome.status))].join("/");
      }
      console.log(
        `${name.padEnd(44)} answer ${statuses.padEnd(12)} body sent ${median(sent)
          .toFixed(1)
          .padStart(6)} MB   server peak ${Math.max(...highs)
          .toFixed(0)
          .padStart(5)} MB (+${Math.max(...peaks).toFixed(0)} MB)`,
      );
    }
  } finally {
    await server.stop();
    await postgres.dropDatabase(DATABASE);
    await postgres.release();
  }
}

await main();
