import type { IncomingMessage, ServerResponse } from "node:http";
import { writeReadableStreamToWritable } from "@remix-run/node";
import type { ConnectionContext } from "../app/client-address/trusted-proxies.ts";

// Node's request and response to the Fetch API's and back, for the server's two ways into the app (the hot routes and
// Remix). Written here rather than through @remix-run/express's adapter because that one reads the request stream
// itself, whole: here the body is the one receive-body.ts already read within its route's limit.

export function fetchHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** The Fetch Request for a Node request whose body was read already; aborted if the client leaves before the answer. */
export function fetchRequest(request: IncomingMessage, reply: ServerResponse, body: Uint8Array): Request {
  const method = request.method ?? "GET";
  const controller = new AbortController();
  reply.once("close", () => {
    if (!reply.writableFinished) controller.abort();
  });
  return new Request(`http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`, {
    method,
    headers: fetchHeaders(request),
    body: method === "GET" || method === "HEAD" ? undefined : (body as Uint8Array<ArrayBuffer>),
    signal: controller.signal,
  });
}

/** What every route's load context says about the connection (app/client-address/trusted-proxies.ts). */
export function connectionContext(request: IncomingMessage): Record<string, unknown> {
  const context: ConnectionContext = { socketAddress: request.socket.remoteAddress };
  return context as Record<string, unknown>;
}

function writeHead(response: Response, reply: ServerResponse): void {
  reply.statusCode = response.status;
  if (response.statusText) reply.statusMessage = response.statusText;
  for (const [name, value] of response.headers) if (name !== "set-cookie") reply.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.setHeader("set-cookie", cookies);
}

/** Sends a small answer whole (the hot routes': a Content-Length instead of chunks). */
export async function sendWhole(response: Response, method: string, reply: ServerResponse): Promise<void> {
  writeHead(response, reply);
  const body = method === "HEAD" || response.body === null ? null : Buffer.from(await response.arrayBuffer());
  reply.end(body);
}

/** Streams an answer as it is produced (Remix's pages render progressively). */
export async function sendStreamed(response: Response, method: string, reply: ServerResponse): Promise<void> {
  writeHead(response, reply);
  if (method === "HEAD" || response.body === null) return void reply.end();
  await writeReadableStreamToWritable(response.body, reply);
}
