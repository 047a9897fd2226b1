import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { SERVER_BUILD } from "./ensure-build.ts";

// The HTTP server around the Remix build: static assets, then every other request to Remix. Configuration and
// the database are opened by the build itself (app/config.server.ts, app/db.server.ts).

export interface RunningServer {
  url: string;
  port: number;
  /** Starts the job workers (backfill, reconciliation) in this process; close() stops them first. */
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
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production" }));

  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const listening = app.listen(options.port, host, () => resolve(listening));
    listening.once("error", reject);
  });
  // Shopify gives a webhook about 5 s; keep-alive lets a load of them share connections.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  let stopBackgroundWork: (() => Promise<void>) | undefined;
  const running: RunningServer = {
    url: `http://localhost:${port}`,
    port,
    async startBackgroundWork() {
      stopBackgroundWork ??= await (build.entry.module as EntryWithBackgroundWork).startBackgroundWork?.();
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
