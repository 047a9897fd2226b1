import { once } from "node:events";
import type { Writable } from "node:stream";
import { csvHeader, csvRows } from "../../app/csv/safe-csv.ts";
import type { CsvValue } from "../../app/csv/safe-csv.ts";
import { formatMinor } from "./money.ts";
import type { Order } from "./model.ts";

// A history as the flat transaction log the segmentation CLI reads (CDNOW-style): one row per real purchase.
// Guest and test orders are left out (no customer to segment, not a sale), as are cancelled orders and orders
// refunded down to nothing.

export type NetBasis = "merchandise" | "total";

/**
 * Net amount of an order after its refund, the way Cadence counts revenue: "merchandise" = subtotal (line items
 * after discounts) less refunded line subtotals; "total" = total paid less money refunded. Cancelled orders: 0.
 */
export function orderNetMinor(order: Order, basis: NetBasis = "merchandise"): number {
  if (order.cancellation) return 0;
  const refund = order.refund;
  if (basis === "total") return order.totalMinor - (refund?.amountMinor ?? 0);
  return order.subtotalMinor - (refund?.lines.reduce((sum, line) => sum + line.subtotalMinor, 0) ?? 0);
}

export const TRANSACTIONS_HEADER = ["customer_id", "date", "amount", "order_id"];

/** One row's cells, or null when the order is not a customer's purchase. date is UTC ISO 8601. */
export function transactionRow(order: Order, basis: NetBasis = "merchandise"): CsvValue[] | null {
  if (!order.customer || order.test) return null;
  const net = orderNetMinor(order, basis);
  if (net <= 0) return null;
  return [order.customer.id, order.createdAt.toISOString(), formatMinor(net, order.currency), order.id];
}

/** Writes the header and one row per purchase, honouring back-pressure. Resolves to the number of rows. */
export async function writeTransactionsCsv(
  orders: Iterable<Order>,
  stream: Writable,
  options: { basis?: NetBasis } = {},
): Promise<number> {
  let rows = 0;
  let pending: CsvValue[][] = [];
  let chunk = csvHeader(TRANSACTIONS_HEADER);
  const flush = async () => {
    chunk += csvRows(pending);
    pending = [];
    if (!stream.write(chunk)) await once(stream, "drain");
    chunk = "";
  };
  for (const order of orders) {
    const row = transactionRow(order, options.basis);
    if (row === null) continue;
    pending.push(row);
    rows += 1;
    if (pending.length >= 1000) await flush();
  }
  if (pending.length > 0 || chunk.length > 0) await flush();
  return rows;
}
