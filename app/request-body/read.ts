import { BODY_LIMITS, declaredTooLarge } from "./limits";
import type { BodyLimit } from "./limits";

// Reading a route's request body within its limit (limits.ts). The production server has already refused an
// oversized body before the route runs (server/receive-body.ts); these are the same rules for every other
// way a request reaches a route (Remix's dev server, the integration tests), so a route never reads unbounded input.

/** The 413 answer, thrown Remix-style. */
export function tooLarge(limit: BodyLimit): Response {
  return new Response(limit.message, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * The body's bytes, or a thrown 413 Response: at once when Content-Length is over the limit, otherwise as soon as
 * the bytes read pass it (the rest is never read).
 */
export async function readBodyWithin(request: Request, limit: BodyLimit): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredTooLarge(request.headers.get("content-length"), limit)) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit.bytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * An admin action's form (URL-encoded or multipart), read within the admin limit. Actions call this instead of
 * request.formData(), which reads whatever it is sent.
 */
export async function readAdminForm(request: Request): Promise<FormData> {
  const body = await readBodyWithin(request, BODY_LIMITS.admin);
  const headers = { "Content-Type": request.headers.get("content-type") ?? "" };
  try {
    return await new Request(request.url, { method: "POST", headers, body }).formData();
  } catch {
    throw new Response("The form could not be read: send it URL-encoded or as multipart/form-data.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
