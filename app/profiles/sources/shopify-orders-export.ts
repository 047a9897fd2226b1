import { createHash } from "node:crypto";
import { dayFromIsoDate } from "../days";
import type { Day } from "../days";
import type { ProfileOrder } from "../orders";
import { addOrder, skip } from "./customer-orders";
import type { CustomerOrders } from "./customer-orders";
import { InputError } from "./input-error";
import { parseAmount } from "./transactions-csv";

// The Shopify admin's "Export orders" CSV. One order takes one row per line item; only its first row carries the
// order-level fields (Financial Status, Subtotal, …), later rows repeat Name and the line item columns.
// - Customer: the export has no customer ID, only Email. The email is used to group orders and never leaves this
//   module: customers are identified by "email:" + the first 16 hex digits of SHA-256(lower-cased email).
//   Orders without an email (guest checkouts) are left out.
// - Day: the date part of "Created at", which Shopify writes in the shop's time zone ("2025-12-06 10:37:33 -0500").
// - Amount, on the shop's net-revenue basis: "merchandise" = Subtotal (line items after discounts, before shipping
//   and tax) less Refunded Amount, floored at 0; "total" = Total less Refunded Amount. The export does not split
//   refunds into merchandise, shipping and tax, so a refund is taken off the subtotal whole, and it has no refund
//   date, so a refund counts from the order's day.
// - Cancelled orders ("Cancelled at" set) are orders, not purchases.

export type NetRevenueBasis = "merchandise" | "total";

const REQUIRED = [
  "Name",
  "Email",
  "Financial Status",
  "Currency",
  "Subtotal",
  "Total",
  "Discount Amount",
  "Created at",
  "Cancelled at",
  "Refunded Amount",
] as const;
const CREATED_AT = /^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2})?(?: ?[+-]\d{2}:?\d{2}| ?Z| UTC)?$/;

export function pseudonym(email: string): string {
  return `email:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 16)}`;
}

function orderDay(text: string, field: string, line: number): Day {
  const match = CREATED_AT.exec(text.trim());
  if (!match) throw new InputError(`${field} "${text}" is not a date and time like "2025-12-06 10:37:33 -0500"`, line);
  try {
    return dayFromIsoDate(match[1] as string);
  } catch {
    throw new InputError(`${field} "${text}" is not a calendar date`, line);
  }
}

export async function readShopifyOrdersExport(
  records: AsyncIterable<{ record: string[]; line: number }>,
  asOf: Day,
  basis: NetRevenueBasis = "merchandise",
): Promise<CustomerOrders> {
  const result: CustomerOrders = { currency: "", customers: new Map(), rows: 0, skipped: {} };
  let columns: Map<string, number> | null = null;
  const seen = new Set<string>();
  let current: string | null = null;
  for await (const { record, line } of records) {
    if (!columns) {
      columns = new Map(record.map((name, index) => [name.trim(), index]));
      const missing = REQUIRED.filter((name) => !columns?.has(name));
      if (missing.length > 0)
        throw new InputError(
          `not a Shopify orders export: the header lacks ${missing.map((m) => `"${m}"`).join(", ")}`,
          line,
        );
      continue;
    }
    const field = (name: (typeof REQUIRED)[number]) => (record[columns?.get(name) as number] ?? "").trim();
    result.rows += 1;
    const name = field("Name");
    if (!name) throw new InputError("Name (the order name, like #1001) is empty", line);
    if (!field("Financial Status") && !field("Subtotal")) {
      // A further line item of the order above.
      if (name !== current)
        throw new InputError(`a line-item row of order ${name} does not follow that order's first row`, line);
      continue;
    }
    if (seen.has(name)) throw new InputError(`order ${name} appears twice`, line);
    seen.add(name);
    current = name;
    const currency = field("Currency");
    if (!/^[A-Z]{3}$/.test(currency)) throw new InputError(`Currency "${currency}" is not an ISO 4217 code`, line);
    if (result.currency && currency !== result.currency)
      throw new InputError(`orders in two currencies (${result.currency} and ${currency})`, line);
    result.currency = currency;
    const day = orderDay(field("Created at"), "Created at", line);
    const subtotal = parseAmount(field("Subtotal"), currency, line, "Subtotal");
    const total = parseAmount(field("Total"), currency, line, "Total");
    const refunded = field("Refunded Amount")
      ? parseAmount(field("Refunded Amount"), currency, line, "Refunded Amount")
      : 0;
    const discount = field("Discount Amount")
      ? parseAmount(field("Discount Amount"), currency, line, "Discount Amount")
      : 0;
    const cancelledDay = field("Cancelled at") ? orderDay(field("Cancelled at"), "Cancelled at", line) : null;
    const email = field("Email");
    if (!email) {
      skip(result, "no customer email (guest)");
      continue;
    }
    if (day > asOf) {
      skip(result, "after as-of date");
      continue;
    }
    const gross = basis === "merchandise" ? subtotal : total;
    const taken = Math.min(refunded, gross);
    const order: ProfileOrder = {
      day,
      netMinor: cancelledDay !== null ? 0 : gross - taken,
      refundedMinor: taken,
      refundDay: taken > 0 ? day : null,
      discountMinor: discount,
      cancelledDay,
      lines: [],
    };
    addOrder(result, pseudonym(email), order);
  }
  if (!columns) throw new InputError("the file is empty: a header line is required");
  if (!result.currency) result.currency = "USD";
  return result;
}
