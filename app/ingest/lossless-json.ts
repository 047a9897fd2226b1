// Shopify's numeric IDs can exceed Number.MAX_SAFE_INTEGER; JSON.parse would silently round them. Node ≥ 21
// hands the reviver each number's source text, so unsafe integers are kept exactly, as strings. No dependency
// is needed for that.

type ReviverContext = { source?: string };

export class MalformedJsonError extends Error {
  override name = "MalformedJsonError";
}

// An integer of 15 digits or fewer is below 2^53: a body without a run of 16 digits parses exactly without the
// reviver, which costs a call per value.
const LONG_DIGIT_RUN = /\d{16}/;

export function parseJsonLossless(text: string): unknown {
  try {
    if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
    return JSON.parse(text, function revive(this: unknown, _key: string, value: unknown, context?: ReviverContext) {
      if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
        return context.source;
      }
      return value;
    } as Parameters<typeof JSON.parse>[1]);
  } catch (error) {
    throw new MalformedJsonError(`Body is not valid JSON: ${(error as Error).message}`);
  }
}
