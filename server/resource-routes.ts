import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { connectionContext, fetchRequest, sendWhole } from "./fetch-bridge.ts";

// The hot resource routes (Shopify's webhooks, the storefront's app-proxy calls) are served straight from their Remix
// route modules. For a resource route Remix only matches the path and calls the module's action or loader, but its
// matcher flattens and ranks every route on each request, and express's middleware and the Node-to-Fetch stream
// adapter add more: together about as much CPU as the webhook's own work (bench/ingest; docs/sync.md "Throughput").
// The route modules stay the one definition of these endpoints: Remix serves them in development and in the
// integration tests, and test/integration/server-hot-paths.test.ts proves both paths answer alike.

export const HOT_RESOURCE_ROUTES = [
  "routes/webhooks",
  "routes/proxy.events",
  "routes/proxy.offer",
  "routes/proxy.preferences",
  "routes/proxy.status",
];

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => unknown;
interface HotRoute {
  action?: Handler;
  loader?: Handler;
}

/**
 * A request listener for the hot routes, given the request's body (already read within its limit by
 * receive-body.ts): returns false (touching nothing) for any other request, which then goes to express and Remix. A
 * handler's thrown Response is the answer, as in Remix; anything else thrown is a 500. The handler's load context
 * carries the connection's address, as Remix's does (start-server.ts).
 */
export function hotResourceRoutes(build: ServerBuild, onError: (error: unknown) => void) {
  const routes = new Map<string, HotRoute>();
  for (const id of HOT_RESOURCE_ROUTES) {
    const route = build.routes[id];
    if (!route?.path) throw new Error(`The build has no route ${id} (server/resource-routes.ts lists it)`);
    routes.set(`/${route.path}`, route.module as HotRoute);
  }

  return (request: IncomingMessage, reply: ServerResponse, body: Uint8Array): boolean => {
    const url = request.url ?? "/";
    const queryAt = url.indexOf("?");
    const route = routes.get(queryAt < 0 ? url : url.slice(0, queryAt));
    const method = request.method ?? "GET";
    const handler = method === "GET" || method === "HEAD" ? route?.loader : route?.action;
    if (!handler) return false;
    void (async () => {
      let response: Response;
      try {
        const result = await handler({
          request: fetchRequest(request, reply, body),
          params: {},
          context: connectionContext(request),
        });
        response = result instanceof Response ? result : Response.json(result);
      } catch (thrown) {
        if (thrown instanceof Response) {
          // Marked as Remix marks a thrown Response (a copy: a Response's own headers may be immutable).
          response = new Response(thrown.body, {
            status: thrown.status,
            statusText: thrown.statusText,
            headers: thrown.headers,
          });
          response.headers.set("X-Remix-Catch", "yes");
        } else {
          onError(thrown);
          response = new Response("Unexpected Server Error", {
            status: 500,
            headers: { "Content-Type": "text/plain; charset=utf-8" },
          });
        }
      }
      await sendWhole(response, method, reply);
    })().catch((error: unknown) => {
      onError(error);
      reply.destroy();
    });
    return true;
  };
}
