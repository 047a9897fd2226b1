import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import path from "node:path";
import { EXTENSION_ROOT } from "./shopify-liquid";

// A stand-in storefront for browser tests of the extension's script: it serves a page around rendered block HTML,
// the extension's assets the way Shopify injects them from the block schema (stylesheet in the head, script
// deferred), and records what reaches /apps/cadence/* (Shopify's app proxy would forward it to Cadence).

export interface ProxyRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: string;
}

export interface StorefrontServer {
  origin: string;
  requests: ProxyRequest[];
  /** The block HTML the page at `/page/{name}` shows. */
  pages: Map<string, { html: string; head?: string; above?: string }>;
  /** Status the preferences endpoint answers with (200 by default). */
  preferenceStatus: number;
  close(): Promise<void>;
}

// The ports this helper may use on the shared machine.
const PORTS = { first: 3500, last: 3599 };

export async function startStorefrontServer(): Promise<StorefrontServer> {
  const state: Omit<StorefrontServer, "origin" | "close"> = { requests: [], pages: new Map(), preferenceStatus: 200 };
  const server = createServer((request, response) => {
    void handle(state, request, response);
  });
  const port = await listen(server);
  return {
    ...state,
    get preferenceStatus() {
      return state.preferenceStatus;
    },
    set preferenceStatus(status: number) {
      state.preferenceStatus = status;
    },
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function listen(server: Server): Promise<number> {
  for (let port = PORTS.first + Math.floor(Math.random() * 50); port <= PORTS.last; port += 1) {
    const bound = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (bound) return port;
  }
  throw new Error(`no free port in ${PORTS.first}-${PORTS.last}`);
}

async function handle(
  state: Omit<StorefrontServer, "origin" | "close">,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const url = new URL(request.url ?? "/", "http://storefront.test");
  let body = "";
  for await (const chunk of request) body += chunk;
  if (url.pathname.startsWith("/apps/cadence/")) {
    state.requests.push({
      method: request.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    if (url.pathname === "/apps/cadence/preferences") {
      response.writeHead(state.preferenceStatus, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ personalised: url.searchParams.get("personalised") === "1" }));
      return;
    }
    response.writeHead(204).end();
    return;
  }
  if (url.pathname.startsWith("/assets/")) {
    const file = path.join(EXTENSION_ROOT, "assets", path.basename(url.pathname));
    const type = file.endsWith(".js") ? "text/javascript" : "text/css";
    response.writeHead(200, { "Content-Type": type }).end(readFileSync(file));
    return;
  }
  const page = state.pages.get(url.pathname.replace(/^\/page\//, ""));
  if (!page) {
    response
      .writeHead(200, { "Content-Type": "text/html" })
      .end("<!doctype html><title>Another page</title><p>Another page</p>");
    return;
  }
  response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Storefront</title>
<link rel="stylesheet" href="/assets/cadence-offers.css">
<script src="/assets/cadence-offers.js" defer></script>
${page.head ?? ""}
</head><body style="margin:0;font-family:sans-serif">
${page.above ?? ""}
<main style="max-width:40rem;margin:0 auto">${page.html}</main>
<div style="height:120vh"></div>
</body></html>`);
}
