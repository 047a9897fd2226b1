import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { createServer } from "node:http";
import { SERVER_BUILD } from "./ensure-build.ts";
import { config } from "../../app/config.server.ts";
import { hotResourceRoutes } from "./resource-routes.ts";
import { startWorkerProcess } from "./worker-process.ts";

// The HTTP server around the Remix build: the hot resource routes (webhooks, app proxy) straight from their route
// modules, static assets, then every other request to Remix. Configuration and
// the database are opened by the build itself (app/config.server.ts, app/db.server.ts).

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

export async function startServer(options: { port: number; host?: string; backgroundWork?: boolean }): Promise<RunningServer> {
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  const clientDir = path.join(path.dirname(SERVER_BUILD), "..", "client");
  app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(clientDir, { maxAge: "1h" }));
  // Remix's development mode sends error details to the browser: only where config says development.
  app.all("*", createRequestHandler({ build, mode: config().development ? "development" : "production" }));

  const hot = hotResourceRoutes(build, (error) => console.error(error));
  const server = createServer((request, response) => {
    if (!hot(request, response)) app(request, response);
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
