import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { memberCondition } from "~/segments/segment-key";
import type { SegmentRef } from "~/segments/segment-key";

// The members table: one page of a segment's members, sorted server-side, paged by keyset (seek) so page 4,000
// costs what page 1 does. The cursor is the last row's (sort value, customer ID), opaque to the browser.

// Each sort is an index of "CustomerListing" (shop, value, ID): a page is read in index order, whatever the segment.
export const MEMBER_SORTS = {
  customer: { column: `p."customerShopifyId"`, type: "text" },
  netSpend: { column: `p."netSpendMinor"`, type: "bigint" },
  orders: { column: "p.orders", type: "int" },
  lastOrder: { column: `p."lastOrderKey"`, type: "date" },
  clv: { column: `p."clvKey"`, type: "bigint" },
} as const;
export type MemberSort = keyof typeof MEMBER_SORTS;

export const PAGE_SIZE = 50;

export class MemberQueryError extends Error {
  override name = "MemberQueryError";
}

export const memberQuerySchema = z.object({
  sort: z.enum(Object.keys(MEMBER_SORTS) as [MemberSort, ...MemberSort[]]).default("netSpend"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().max(200).optional(),
  before: z.string().max(200).optional(),
  // Shopify customer IDs are digits; the admin's GID form is accepted too.
  search: z
    .string()
    .trim()
    .transform((value) => value.replace(/^gid:\/\/shopify\/Customer\//, ""))
    .pipe(z.string().regex(/^\d{0,20}$/, "search by customer ID: digits only"))
    .optional(),
});
export type MemberQuery = z.output<typeof memberQuerySchema>;

export interface MemberRow {
  customerId: string;
  orders: number;
  netSpendMinor: string;
  lastOrderOn: string | null;
  clv12mMinor: string | null;
  tierName: string | null;
  lifecycle: string;
  rfmGroup: string;
  confidence: string | null;
}

export interface MemberPage {
  members: MemberRow[];
  next: string | null;
  previous: string | null;
  total: number;
}

type Cursor = [value: string, customerId: string];

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The smallest digit string above every string starting with `prefix` ("129" → "13"); null for "99…". */
function nextDigitPrefix(prefix: string): string | null {
  const kept = prefix.replace(/9+$/, "");
  return kept ? `${kept.slice(0, -1)}${Number(kept.at(-1)) + 1}` : null;
}

const CUSTOMER_ID = /^\d{1,20}$/;
const INTEGER_RANGES = { bigint: [-(2n ** 63n), 2n ** 63n - 1n], int: [-(2n ** 31n), 2n ** 31n - 1n] } as const;

/**
 * Whether a cursor's sort value is one its column can hold: PostgreSQL refuses an out-of-range number (22003) or an
 * impossible date (22008) with an error, which must be the browser's 400, not the server's 500.
 */
export function validCursorValue(type: (typeof MEMBER_SORTS)[MemberSort]["type"], value: string): boolean {
  switch (type) {
    case "text":
      return CUSTOMER_ID.test(value);
    case "bigint":
    case "int": {
      if (!/^-?\d{1,19}$/.test(value)) return false;
      const [min, max] = INTEGER_RANGES[type];
      const number = BigInt(value);
      return number >= min && number <= max;
    }
    case "date": {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!match) return false;
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      // setUTCFullYear, not Date.UTC, which reads years below 100 as 19xx ("0001-01-01" is the no-order stand-in).
      const date = new Date(0);
      date.setUTCFullYear(year, month - 1, day);
      // Year 0 does not exist in PostgreSQL's calendar, and an impossible day (2026-02-30) rolls over into the next month.
      return (
        year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
      );
    }
  }
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string"))
      return value as Cursor;
  } catch {
    // reported below
  }
  throw new MemberQueryError(
    "This page's address holds a page position the members table did not make; start from the first page.",
  );
}

// The sort values' stand-ins for "none" (no order, no prediction) are shown as empty.
const SELECT = `p."customerShopifyId" AS "customerId", p.orders, p."netSpendMinor"::text AS "netSpendMinor",
  to_char(NULLIF(p."lastOrderKey", DATE '0001-01-01'), 'YYYY-MM-DD') AS "lastOrderOn", NULLIF(p."clvKey", -1)::text AS "clv12mMinor",
  p."tierName", p.lifecycle, p."rfmGroup", p.confidence`;

/** The segment's size when the caller knows it (the segment summary does): then only a search is counted here. */
export async function memberPage(
  prisma: PrismaClient,
  shopId: string,
  ref: SegmentRef,
  query: MemberQuery,
  pageSize = PAGE_SIZE,
  knownTotal?: number,
): Promise<MemberPage> {
  if (query.after && query.before) throw new MemberQueryError("Ask for the next page or the previous one, not both.");
  const sort = MEMBER_SORTS[query.sort];
  const condition = memberCondition(ref, "$2");
  const filters = [`p."shopId" = $1`, condition.sql];
  const parameters: unknown[] = [shopId, condition.value];
  if (query.search) {
    // A range on the primary key's second column finds the prefix without reading the shop's other customers:
    // IDs starting "123" lie in ["123", "124"). Digits only, so every collation orders them alike.
    parameters.push(query.search);
    filters.push(`p."customerShopifyId" >= $${parameters.length}`);
    const upper = nextDigitPrefix(query.search);
    if (upper) {
      parameters.push(upper);
      filters.push(`p."customerShopifyId" < $${parameters.length}`);
    }
    parameters.push(`${query.search}%`);
    filters.push(`p."customerShopifyId" LIKE $${parameters.length}`);
  }
  const where = filters.join(" AND ");
  const key = `(${sort.column}, p."customerShopifyId")`;
  const backwards = Boolean(query.before);
  const cursorText = query.after ?? query.before;
  const seekFilters = [...filters];
  const seekParameters = [...parameters];
  if (cursorText) {
    const [value, customerId] = decodeCursor(cursorText);
    if (!validCursorValue(sort.type, value) || !CUSTOMER_ID.test(customerId))
      throw new MemberQueryError(
        "This page position belongs to another sort order, or to no page of this table; start from the first page.",
      );
    seekParameters.push(value, customerId);
    const forwardDescending = query.direction === "desc";
    const comparison = forwardDescending !== backwards ? "<" : ">";
    seekFilters.push(`${key} ${comparison} ($${seekParameters.length - 1}::${sort.type}, $${seekParameters.length})`);
  }
  const descending = (query.direction === "desc") !== backwards;
  const order = `${sort.column} ${descending ? "DESC" : "ASC"}, p."customerShopifyId" ${descending ? "DESC" : "ASC"}`;
  const [rows, counted] = await Promise.all([
    prisma.$queryRawUnsafe<(MemberRow & { sortValue: string })[]>(
      `SELECT ${SELECT}, (${sort.column})::text AS "sortValue" FROM "CustomerListing" p WHERE ${seekFilters.join(
        " AND ",
      )} ORDER BY ${order} LIMIT ${pageSize + 1}`,
      ...seekParameters,
    ),
    query.search || knownTotal === undefined
      ? prisma.$queryRawUnsafe<{ total: number }[]>(
          `SELECT count(*)::int AS total FROM "CustomerListing" p WHERE ${where}`,
          ...parameters,
        )
      : Promise.resolve([{ total: knownTotal }]),
  ]);
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const cursorOf = (row: MemberRow & { sortValue: string }) => encodeCursor([row.sortValue, row.customerId]);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    members: page.map(({ sortValue: _sortValue, ...row }) => row),
    next: last && (backwards || more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : Boolean(cursorText)) ? cursorOf(first) : null,
    total: counted[0]?.total ?? 0,
  };
}
