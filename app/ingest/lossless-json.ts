// Shopify's numeric IDs can exceed Number.MAX_SAFE_INTEGER; JSON.parse would silently round them. Unsafe integers
// are kept exactly, as strings, by quoting them in the text before the native parse.
//
// Written here rather than taken from a library: lossless-json and json-bigint parse in JavaScript, and JSON.parse's
// reviver with source text (Node ≥ 21) calls back once per value; on an order either was the largest share of a
// webhook's CPU time (docs/sync.md "Throughput"). One regular-expression scan plus the native parse costs a fraction
// of that. test/unit/ingest/lossless-json.test.ts checks it against the reviver on generated documents.

export class MalformedJsonError extends Error {
  override name = "MalformedJsonError";
}

// An integer of 15 digits or fewer is below 2^53: a body without a run of 16 digits parses exactly as it is.
const LONG_DIGIT_RUN = /\d{16}/;

// Left to right: a whole string, or an integer of 16 or more digits standing alone as a value. Strings are consumed
// whole, so in valid JSON every integer matched lies outside strings. The integer must sit where a value does:
// after `[`, `:`, `,` or whitespace, and before `]`, `}`, `,` or the end (so never as an object key, and never
// part of a fraction, an exponent or a number with a leading zero). Quoting such an integer changes no valid
// document's structure and makes no invalid document valid, so JSON.parse still rejects what it rejected.
const STRING_OR_LONG_INTEGER =
  /"[^"\\]*(?:\\[\s\S][^"\\]*)*"|(?<=^|[[:, \t\n\r])-?[1-9]\d{15,}(?=[ \t\n\r]*(?:[\]},]|$))/g;

function quoteUnsafeIntegers(text: string): string {
  let result = "";
  let copiedUpTo = 0;
  for (const match of text.matchAll(STRING_OR_LONG_INTEGER)) {
    const token = match[0];
    if (token.charCodeAt(0) === 34 /* " */ || Number.isSafeInteger(Number(token))) continue;
    result += `${text.slice(copiedUpTo, match.index)}"${token}"`;
    copiedUpTo = match.index + token.length;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

export function parseJsonLossless(text: string): unknown {
  try {
    return JSON.parse(LONG_DIGIT_RUN.test(text) ? quoteUnsafeIntegers(text) : text);
  } catch (error) {
    throw new MalformedJsonError(`Body is not valid JSON: ${(error as Error).message}`);
  }
}
