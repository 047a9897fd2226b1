import { decimalToMinor } from "~/money/decimal";
import { dayFromIsoDate } from "../days";
import type { Day } from "../days";
import type { ProfileOrder } from "../orders";
import { addOrder, NO_LINES, skip } from "./customer-orders";
import type { CustomerOrders } from "./customer-orders";
import { InputError } from "./input-error";

// The `transactions` format: a CSV with the header `customer_id,date,amount[,order_id]`, one purchase per row
// (CDNOW-style). date is YYYY-MM-DD, or an ISO 8601 timestamp whose date part is taken as written; amount is a
// non-negative decimal in the currency given to the CLI. Rows of one customer with the same order_id are lines of
// one order. Rows dated after asOf are left out (the calibration period ends on asOf, inclusive).

export const TRANSACTIONS_HEADERS = [
  ["customer_id", "date", "amount"],
  ["customer_id", "date", "amount", "order_id"],
];

const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const AMOUNT = /^\d+(?:\.\d+)?$/;

export function parseDate(text: string, line: number): Day {
  const match = DATE.exec(text.trim());
  if (!match) throw new InputError(`date "${text}" is not YYYY-MM-DD or an ISO 8601 timestamp`, line);
  try {
    return dayFromIsoDate(match[1] as string);
  } catch {
    throw new InputError(`date "${text}" is not a calendar date`, line);
  }
}

export function parseAmount(text: string, currency: string, line: number, what = "amount"): number {
  const trimmed = text.trim();
  if (!AMOUNT.test(trimmed)) throw new InputError(`${what} "${text}" is not a non-negative decimal number`, line);
  return decimalToMinor(trimmed, currency);
}

export async function readTransactions(
  records: AsyncIterable<{ record: string[]; line: number }>,
  asOf: Day,
  currency: string,
): Promise<CustomerOrders> {
  const result: CustomerOrders = { currency, customers: new Map(), rows: 0, skipped: {} };
  const orderIndex = new Map<string, ProfileOrder>();
  let withOrderIds = false;
  let header = true;
  for await (const { record, line } of records) {
    if (header) {
      const names = record.map((name) => name.trim().toLowerCase());
      const known = TRANSACTIONS_HEADERS.find((expected) => expected.join(",") === names.join(","));
      if (!known) {
        const found = record.join(",");
        throw new InputError(
          `the header must be "customer_id,date,amount" or "customer_id,date,amount,order_id", not "${
            found.length > 60 ? `${found.slice(0, 60)}…` : found
          }"`,
          line,
        );
      }
      withOrderIds = known.length === 4;
      header = false;
      continue;
    }
    result.rows += 1;
    if (record.length !== (withOrderIds ? 4 : 3))
      throw new InputError(`expected ${withOrderIds ? 4 : 3} fields, found ${record.length}`, line);
    const [customer, date, amount, orderId] = record as [string, string, string, string | undefined];
    const customerId = customer.trim();
    if (!customerId) throw new InputError("customer_id is empty", line);
    const day = parseDate(date, line);
    const minor = parseAmount(amount, currency, line);
    if (day > asOf) {
      skip(result, "after as-of date");
      continue;
    }
    const key = orderId?.trim() ? `${customerId}\u0000${orderId.trim()}` : null;
    const existing = key ? orderIndex.get(key) : undefined;
    if (existing) {
      if (existing.day !== day)
        throw new InputError(`order ${orderId} of customer ${customerId} has rows on two dates`, line);
      existing.netMinor += minor;
      continue;
    }
    const order: ProfileOrder = {
      day,
      netMinor: minor,
      refundedMinor: 0,
      refundDay: null,
      discountMinor: 0,
      cancelledDay: null,
      lines: NO_LINES,
    };
    if (key) orderIndex.set(key, order);
    addOrder(result, customerId, order);
  }
  if (header) throw new InputError("the file is empty: a header line is required");
  return result;
}
