import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyLimitFor, declaredTooLarge } from "../app/request-body/limits.ts";
import type { BodyLimit } from "../app/request-body/limits.ts";

// The server reads every request's body before any route sees it, within the limit of the route it is for
// (app/request-body/limits.ts): refused with 413 at once when Content-Length is over the limit, and as soon as the
// bytes received pass it when no length is declared. The connection is then closed, so the rest of a large body is
// never received, and memory holds at most one limit's worth per request. Routes read the same limits again
// (app/request-body/read.ts) for the other ways a request reaches them.

const EMPTY = new Uint8Array(0);

export function limitFor(request: IncomingMessage): BodyLimit {
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  return bodyLimitFor(queryAt < 0 ? url : url.slice(0, queryAt));
}

/** Answers 413 with the limit's message and closes the connection once it is sent. */
export function refuseBody(reply: ServerResponse, limit: BodyLimit): void {
  reply.writeHead(413, {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "close",
  });
  reply.end(limit.message);
}

/** Whether a request's Content-Length is over its route's limit (to refuse an `Expect: 100-continue` before the body). */
export function declaresTooMuch(request: IncomingMessage): boolean {
  return declaredTooLarge(request.headers["content-length"], limitFor(request));
}

/** The body's bytes, or null when it was refused (413 already sent) or the client went away. */
export function receiveBody(request: IncomingMessage, reply: ServerResponse): Promise<Uint8Array | null> {
  const limit = limitFor(request);
  if (declaredTooLarge(request.headers["content-length"], limit)) {
    refuseBody(reply, limit);
    return Promise.resolve(null);
  }
  const declared = request.headers["content-length"];
  if (request.headers["transfer-encoding"] === undefined && (declared === undefined || declared.trim() === "0"))
    return Promise.resolve(EMPTY);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (body: Uint8Array | null) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= limit.bytes) return void chunks.push(chunk);
      request.pause();
      chunks.length = 0;
      refuseBody(reply, limit);
      finish(null);
    };
    const onEnd = () => finish(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    const onError = () => finish(null);
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onError);
  });
}
