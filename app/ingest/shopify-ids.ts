// Cadence keys every Shopify resource on its numeric ID kept as a string (exact beyond 2^53), taken from the
// admin_graphql_api_id ("gid://shopify/Order/820982911946154508") when present.

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

export function idFromGid(gid: string, expectedType?: string): string {
  const match = GID.exec(gid);
  if (!match || (expectedType && match[1] !== expectedType)) {
    throw new RangeError(`"${gid}" is not a Shopify ${expectedType ?? ""} global ID`.replace("  ", " "));
  }
  return match[2]!;
}

export function toGid(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Numeric IDs in numeric order: shorter is smaller, then digit by digit (they are strings, exact beyond 2^53). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** A numeric ID from a payload: a safe number, or a string kept exact by the lossless parser. */
export function numericId(value: unknown): string | null {
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  return null;
}
