import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/node";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SERVER_BUILD } from "./ensure-build.ts";
import { config } from "../app/config.server.ts";
import { connectionContext, fetchRequest, sendStreamed } from "./fetch-bridge.ts";
import { declaresTooMuch, limitFor, receiveBody, refuseBody } from "./receive-body.ts";
import { hotResourceRoutes } from "./resource-routes.ts";
import { startWorkerProcess } from "./worker-process.ts";

// The HTTP server around the Remix build: every request's body is read first, within its route's limit
// (receive-body.ts), then the hot resource routes (webhooks, app proxy) are served straight from their route
// modules, static assets by express, and every other request by Remix's request handler (fetch-bridge.ts). Routes
// find the connection's address in their load context. Configuration and the database are opened by the build
// itself (app/config.server.ts, app/db.server.ts).

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Starts the job workers (backfill, reconciliation, segmentation, publishing) as CADENCE_BACKGROUND_WORK says: in a
   * worker process (the default), in this process, or not at all; close() stops them first.
   */
  startBackgroundWork(): Promise<void>;
  close(): Promise<void>;
}

type EntryWithBackgroundWork = { startBackgroundWork?: () => Promise<() => Promise<void>> };

export async function startServer(options: {
  port: number;
  host?: string;
  backgroundWork?: boolean;
}): Promise<RunningServer> {
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  const clientDir = path.join(path.dirname(SERVER_BUILD), "..", "client");
  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  // Remix's development mode sends error details to the browser: only where config says development.
  const handleRemix = createRequestHandler(build, config().development ? "development" : "production");
  // Never a stack or a message on the wire: those go to the log.
  const fail = (reply: ServerResponse, error: unknown) => {
    const status = (error as { status?: unknown } | null)?.status;
    const code = typeof status === "number" && status >= 400 && status < 500 ? status : 500;
    if (code === 500) console.error(error);
    if (reply.headersSent) return void reply.destroy();
    reply
      .writeHead(code, { "Content-Type": "text/plain; charset=utf-8" })
      .end(code === 500 ? "Unexpected Server Error" : "Bad Request");
  };
  const remix = (request: IncomingMessage, reply: ServerResponse, body: Uint8Array) => {
    handleRemix(fetchRequest(request, reply, body), connectionContext(request))
      .then((response) => sendStreamed(response, request.method ?? "GET", reply))
      .catch((error: unknown) => fail(reply, error));
  };

  const hot = hotResourceRoutes(build, (error) => console.error(error));
  const listener = (request: IncomingMessage, reply: ServerResponse) => {
    void receiveBody(request, reply).then((body) => {
      if (!body || hot(request, reply, body)) return;
      // Static files first; express calls back for anything that is not one.
      app(request as express.Request, reply as express.Response, (error?: unknown) =>
        error ? fail(reply, error) : remix(request, reply, body),
      );
    });
  };
  const server = createServer(listener);
  // A client that asks before sending its body (Expect: 100-continue) is refused before it sends any.
  server.on("checkContinue", (request: IncomingMessage, reply: ServerResponse) => {
    if (declaresTooMuch(request)) return refuseBody(reply, limitFor(request));
    reply.writeContinue();
    listener(request, reply);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  // Shopify gives a webhook about 5 s; keep-alive lets a load of them share connections.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  let stopBackgroundWork: (() => Promise<void>) | undefined;
  const running: RunningServer = {
    url: `http://localhost:${port}`,
    port,
    async startBackgroundWork() {
      const mode = config().backgroundWork;
      if (stopBackgroundWork || mode === "off") return;
      if (mode === "process") {
        const worker = await startWorkerProcess((message) => console.error(message));
        stopBackgroundWork = () => worker.stop();
      } else {
        stopBackgroundWork = await (build.entry.module as EntryWithBackgroundWork).startBackgroundWork?.();
      }
    },
    async close() {
      await stopBackgroundWork?.();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  if (options.backgroundWork ?? true) await running.startBackgroundWork();
  return running;
}
