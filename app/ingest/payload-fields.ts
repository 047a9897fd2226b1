import { z } from "zod";
import { PayloadError } from "./normalized";

// Field rules shared by the payload parsers: what PostgreSQL will accept, checked before anything is written, so a
// bad value is a 400 with its field name rather than a database error.

// Shopify sends money as decimal strings, and numbers in older payloads.
export const amount = z.union([z.string(), z.number()]);

export const quantity = z.number().int().min(0).max(2_147_483_647);

/** Numeric IDs may arrive as numbers or, past 2^53, as strings from the lossless parser. */
export const numericIdValue = z.union([z.string(), z.number()]);

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export function parseDate(text: string, field: string): Date {
  const value = new Date(text);
  const time = value.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST)
    throw new PayloadError(`${field}: "${text}" is not a date`);
  return value;
}

export function optionalDate(text: string | null | undefined, field: string): Date | null {
  return text ? parseDate(text, field) : null;
}

/** Discount codes as stored: trimmed, blanks dropped, each once (the first spelling Shopify gave is kept). */
export function distinctCodes(codes: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of codes) {
    const code = raw.trim();
    if (code && !seen.has(code.toLowerCase())) {
      seen.add(code.toLowerCase());
      kept.push(code);
    }
  }
  return kept;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
}

/** Runs a normaliser, turning any RangeError (bad ID, bad amount) into a PayloadError naming the payload. */
export function asPayloadError<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    if (error instanceof RangeError || error instanceof TypeError) throw new PayloadError(`${what}: ${error.message}`);
    throw error;
  }
}
