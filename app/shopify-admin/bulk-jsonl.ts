// Reading a bulk operation's JSONL result as a stream: one JSON object per line; objects of a nested connection
// (an order's line items) are lines of their own naming their parent in `__parentId`. Cadence runs bulk queries
// without groupObjects (the default from API 2026-01, and cheaper for Shopify), so no order of lines is assumed: the
// reader hands on one line at a time and the importer attaches children through the database
// (app/ingest/backfill/import-bulk.ts). Memory is one chunk of the download plus one line, whatever the file's size.
import { AdminApiError } from "./errors";
import type { FetchLike } from "./client";

export type ByteSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

export class BulkJsonlError extends Error {
  override readonly name = "BulkJsonlError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`bulk JSONL line ${line}: ${message}`);
  }
}

export interface BulkLine {
  /** 1-based line number in the file (blank lines count), the import's resume point. */
  line: number;
  object: Record<string, unknown>;
}

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array | string> {
  if (!(source instanceof ReadableStream)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Left early (a failed batch, an uninstall): cancel the download without waiting for the far end to agree,
    // which an HTTP body in flight may never do; the caller's error or stop must not hang on it.
    if (!finished) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Text lines of a byte stream, without their line breaks, numbered from 1. */
export async function* readLines(source: ByteSource): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffered = "";
  let line = 0;
  for await (const chunk of chunksOf(source)) {
    buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    // Scan with an index and cut the remainder once per chunk: slicing per line would copy the rest each time.
    let start = 0;
    let newline = buffered.indexOf("\n", start);
    while (newline !== -1) {
      line += 1;
      yield { line, text: buffered.slice(start, newline).replace(/\r$/, "") };
      start = newline + 1;
      newline = buffered.indexOf("\n", start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  if (buffered.replace(/\r$/, "") !== "") yield { line: line + 1, text: buffered.replace(/\r$/, "") };
}

/** Each non-blank line parsed as a JSON object; `afterLine` skips lines already imported (resume). */
export async function* readBulkJsonl(source: ByteSource, afterLine = 0): AsyncGenerator<BulkLine> {
  for await (const { line, text } of readLines(source)) {
    if (line <= afterLine || text.trim() === "") continue;
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch {
      throw new BulkJsonlError("not valid JSON", line);
    }
    if (object === null || typeof object !== "object" || Array.isArray(object))
      throw new BulkJsonlError("not a JSON object", line);
    yield { line, object: object as Record<string, unknown> };
  }
}

/**
 * Opens a bulk result URL and returns its body as a stream, unread. The URL is signed (anyone holding it can read
 * the shop's data for 7 days), so it is kept out of error messages and never stored.
 */
export async function downloadBulkResult(
  url: string,
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): Promise<ReadableStream<Uint8Array>> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new AdminApiError("network", "downloadBulkResult", error instanceof Error ? error.message : "fetch failed");
  }
  if (!response.ok || !response.body) {
    // Expired (after 7 days) or unknown links answer 403/404; a fresh bulk operation is the only fix.
    await response.body?.cancel();
    throw new AdminApiError(
      response.status >= 500 ? "server" : "http",
      "downloadBulkResult",
      `HTTP ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  return response.body;
}
