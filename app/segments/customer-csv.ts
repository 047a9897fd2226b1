import { minorToDecimal } from "~/money/decimal";
import { isoDateFromDay } from "~/profiles/days";
import type { CustomerRecord } from "./customer-record";

// customers.csv, the columns of `npm run cadence -- segment` and of `export customers`: customer_id, the profile
// fields, the BTYD summary x, t_x, T (in the chosen unit), then the labels. Money is a decimal in the shop currency,
// dates are YYYY-MM-DD, shares are 0–1, lists are ";"-separated, unknown values are empty.

import type { TimeUnit } from "./predictions";

export type { TimeUnit };

export type Cell = string | number | null;
export type Column = [name: string, value: (record: CustomerRecord, format: CsvFormat) => Cell];

export interface CsvFormat {
  currency: string;
  unit: TimeUnit;
}

const money = (minor: number | null, format: CsvFormat) =>
  minor === null ? null : minorToDecimal(Math.round(minor), format.currency);
const date = (day: number | null) => (day === null ? null : isoDateFromDay(day));
const round = (value: number | null, digits = 4) => (value === null ? null : Number(value.toFixed(digits)));
const inUnit = (days: number | null, format: CsvFormat) =>
  days === null ? null : format.unit === "week" ? days / 7 : days;

/** Product types (shop-supplied text, from order webhooks), largest spend first; also in `export customers`. */
export const TOP_PRODUCT_TYPES: Column = ["top_product_types", (r) => r.topProductTypes.join(";")];

const PROFILE_COLUMNS: readonly Column[] = [
  ["customer_id", (r) => r.customerId],
  ["orders", (r) => r.orders],
  ["orders_placed", (r) => r.ordersPlaced],
  ["net_spend", (r, f) => money(r.netSpendMinor, f)],
  ["average_order_value", (r, f) => money(r.averageOrderValueMinor, f)],
  ["first_order_date", (r) => date(r.firstOrderDay)],
  ["last_order_date", (r) => date(r.lastOrderDay)],
  ["days_since_first_order", (r) => r.daysSinceFirstOrder],
  ["days_since_last_order", (r) => r.daysSinceLastOrder],
  ["purchase_days", (r) => r.purchaseDays],
  ["mean_interval_days", (r) => round(r.meanIntervalDays, 2)],
  ["median_interval_days", (r) => round(r.medianIntervalDays, 2)],
  ["last_interval_days", (r) => r.lastIntervalDays],
  ["net_spend_365", (r, f) => money(r.netSpend365Minor, f)],
  ["orders_365", (r) => r.orders365],
  ["refunded", (r, f) => money(r.refundedMinor, f)],
  ["refund_cancel_share", (r) => round(r.refundCancelShare)],
  ["last_refund_or_cancel_date", (r) => date(r.lastRefundOrCancelDay)],
  ["last_order_refunded", (r) => (r.lastOrderRefunded ? "true" : "false")],
  ["discount", (r, f) => money(r.discountMinor, f)],
  ["discounted_order_share", (r) => round(r.discountedOrderShare)],
  TOP_PRODUCT_TYPES,
  ["purchase_months", (r) => r.purchaseMonths.join(";")],
  ["purchase_years", (r) => r.purchaseYears],
  ["peak_season_start_month", (r) => r.peakSeasonStartMonth],
  ["peak_season_share", (r) => round(r.peakSeasonShare)],
  ["peak_season_years", (r) => r.peakSeasonYears],
];

/** The BTYD summary and every label: also appended to `export customers`. */
export const LABEL_COLUMNS: readonly Column[] = [
  ["x", (r) => r.x],
  ["t_x", (r, f) => inUnit(r.tX, f)],
  ["T", (r, f) => inUnit(r.T, f)],
  ["tier", (r) => r.tierName],
  ["rfm_r", (r) => r.rfmR],
  ["rfm_f", (r) => r.rfmF],
  ["rfm_m", (r) => r.rfmM],
  ["rfm_group", (r) => r.rfmGroup],
  ["lifecycle", (r) => r.lifecycle],
  ["p_alive", (r) => round(r.pAlive)],
  ["expected_orders_365", (r) => round(r.expectedOrders365)],
  ["expected_order_value", (r, f) => money(r.expectedOrderValueMinor, f)],
  ["clv_12m", (r, f) => money(r.clv12mMinor, f)],
  ["segments", (r) => r.segments.join(";")],
  ["confidence", (r) => r.confidence],
  ["explanations", (r) => [...new Set(Object.values(r.explanations))].join(" | ")],
];

export const CUSTOMER_COLUMNS: readonly Column[] = [...PROFILE_COLUMNS, ...LABEL_COLUMNS];

export function customerCsvRow(
  record: CustomerRecord,
  format: CsvFormat,
  columns: readonly Column[] = CUSTOMER_COLUMNS,
): Cell[] {
  return columns.map(([, value]) => value(record, format));
}

export function columnNames(columns: readonly Column[]): string[] {
  return columns.map(([name]) => name);
}
