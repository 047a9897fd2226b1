// Request bodies of any size for the body-limit tests, made on demand (nothing large is ever held) and counting how
// much of them the app pulled: a limit enforced "while reading" shows as a count near the limit, not the body's size.

export const CHUNK = 64 * 1024;

export interface CountedBody {
  stream: ReadableStream<Uint8Array<ArrayBuffer>>;
  /** Bytes the reader has pulled so far. */
  pulled(): number;
}

export function countedBody(bytes: number, fill = "x"): CountedBody {
  const chunk = new Uint8Array(CHUNK).fill(fill.charCodeAt(0));
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull(controller) {
        if (pulled >= bytes) return controller.close();
        const size = Math.min(CHUNK, bytes - pulled);
        pulled += size;
        controller.enqueue(size === CHUNK ? chunk.slice() : chunk.slice(0, size));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

/** A copy of `request` whose body is `body` (a stream: no Content-Length unless `contentLength` is given). */
export function withBody(request: Request, body: CountedBody, contentLength?: number): Request {
  const headers = new Headers(request.headers);
  if (contentLength !== undefined) headers.set("Content-Length", String(contentLength));
  return new Request(request.url, {
    method: request.method,
    headers,
    body: body.stream,
    duplex: "half",
  } as RequestInit);
}
