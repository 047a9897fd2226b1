import { calendarDate } from "./days";
import type { Day } from "./days";
import { isPurchase, purchaseOccasions } from "./orders";
import type { ProfileOrder, PurchaseOccasion } from "./orders";
import { peakSeason } from "./season";
import { mean, median } from "./statistics";

// A customer's metrics as of a day: every field is defined here once, and in docs/segments.md. Orders placed
// after asOf are ignored, so a profile "as of" a past day is what Cadence would have said that day.

export const RECENT_WINDOW_DAYS = 365;
export const TOP_PRODUCT_TYPES = 3;

export interface CustomerProfile {
  customerId: string;
  asOf: Day;
  /** Purchases: orders neither cancelled nor refunded in full. */
  orders: number;
  /** Every order the customer placed, cancelled and refunded ones included. */
  ordersPlaced: number;
  /** Σ net amount of the purchases. */
  netSpendMinor: number;
  /** netSpend / orders, rounded half up to a minor unit; null without purchases. */
  averageOrderValueMinor: number | null;
  firstOrderDay: Day | null;
  lastOrderDay: Day | null;
  daysSinceFirstOrder: number | null;
  daysSinceLastOrder: number | null;
  /** Distinct days with a purchase (purchase occasions). */
  purchaseDays: number;
  /** Days between consecutive purchase days; null with fewer than two purchase days. */
  meanIntervalDays: number | null;
  medianIntervalDays: number | null;
  /** The interval that ended with the latest purchase day; null with fewer than two purchase days. */
  lastIntervalDays: number | null;
  /** Net spend and purchases in the last 365 days (asOf − 364 … asOf). */
  netSpend365Minor: number;
  orders365: number;
  /** Money refunded across all orders. */
  refundedMinor: number;
  /** Share of placed orders that were refunded (in part or in full) or cancelled; null when none placed. */
  refundCancelShare: number | null;
  /** The latest day an order was refunded or cancelled. */
  lastRefundOrCancelDay: Day | null;
  /** Whether a purchase made on the latest purchase day has been partly refunded. */
  lastOrderRefunded: boolean;
  /** Σ discounts on purchases. */
  discountMinor: number;
  /** Share of purchases with a discount; null without purchases. */
  discountedOrderShare: number | null;
  /** Up to three product types by net line amount over purchases, largest first (ties: alphabetical). */
  topProductTypes: string[];
  /** Purchase days per calendar month, January first. */
  purchaseMonths: number[];
  /** Distinct calendar years with a purchase. */
  purchaseYears: number;
  /** The three consecutive months (wrapping over New Year) holding the most purchase days. */
  peakSeasonStartMonth: number | null;
  /** Share of purchase days inside the peak season. */
  peakSeasonShare: number | null;
  /** Distinct seasons (counted by the year each starts in) with a purchase inside the peak season. */
  peakSeasonYears: number;
}

export interface ProfileResult {
  profile: CustomerProfile;
  /** Purchases merged by day: the input of the purchase-frequency models. */
  occasions: PurchaseOccasion[];
}

function topProductTypes(purchases: readonly ProfileOrder[]): string[] {
  const amounts = new Map<string, number>();
  for (const order of purchases) {
    for (const line of order.lines) {
      if (!line.productType) continue;
      amounts.set(line.productType, (amounts.get(line.productType) ?? 0) + line.amountMinor);
    }
  }
  return [...amounts.entries()]
    .filter(([, amount]) => amount > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_PRODUCT_TYPES)
    .map(([type]) => type);
}

export function computeProfile(customerId: string, allOrders: readonly ProfileOrder[], asOf: Day): ProfileResult {
  const orders = allOrders.filter((order) => order.day <= asOf);
  const purchases = orders.filter(isPurchase);
  const occasions = purchaseOccasions(purchases);
  const days = occasions.map((occasion) => occasion.day);
  const intervals = days.slice(1).map((day, index) => day - (days[index] as number));
  const first = days[0] ?? null;
  const last = days.at(-1) ?? null;
  const netSpendMinor = purchases.reduce((sum, order) => sum + order.netMinor, 0);
  const recent = purchases.filter((order) => order.day > asOf - RECENT_WINDOW_DAYS);
  const troubled = orders.filter((order) => order.cancelledDay !== null || order.refundedMinor > 0);
  const troubleDays = orders.flatMap((order) => [order.cancelledDay, order.refundedMinor > 0 ? order.refundDay : null]);
  const lastTrouble = troubleDays.reduce<Day | null>(
    (latest, day) => (day !== null && day <= asOf && (latest === null || day > latest) ? day : latest),
    null,
  );
  const purchaseMonths = new Array<number>(12).fill(0);
  const years = new Set<number>();
  for (const day of days) {
    const { year, month } = calendarDate(day);
    purchaseMonths[month - 1] = (purchaseMonths[month - 1] ?? 0) + 1;
    years.add(year);
  }
  const season = peakSeason(days);
  const profile: CustomerProfile = {
    customerId,
    asOf,
    orders: purchases.length,
    ordersPlaced: orders.length,
    netSpendMinor,
    averageOrderValueMinor: purchases.length > 0 ? Math.round(netSpendMinor / purchases.length) : null,
    firstOrderDay: first,
    lastOrderDay: last,
    daysSinceFirstOrder: first === null ? null : asOf - first,
    daysSinceLastOrder: last === null ? null : asOf - last,
    purchaseDays: days.length,
    meanIntervalDays: intervals.length > 0 ? mean(intervals) : null,
    medianIntervalDays: intervals.length > 0 ? median(intervals) : null,
    lastIntervalDays: intervals.at(-1) ?? null,
    netSpend365Minor: recent.reduce((sum, order) => sum + order.netMinor, 0),
    orders365: recent.length,
    refundedMinor: orders.reduce((sum, order) => sum + order.refundedMinor, 0),
    refundCancelShare: orders.length > 0 ? troubled.length / orders.length : null,
    lastRefundOrCancelDay: lastTrouble,
    lastOrderRefunded: purchases.some((order) => order.day === last && order.refundedMinor > 0),
    discountMinor: purchases.reduce((sum, order) => sum + order.discountMinor, 0),
    discountedOrderShare:
      purchases.length > 0 ? purchases.filter((order) => order.discountMinor > 0).length / purchases.length : null,
    topProductTypes: topProductTypes(purchases),
    purchaseMonths,
    purchaseYears: years.size,
    peakSeasonStartMonth: season?.startMonth ?? null,
    peakSeasonShare: season?.share ?? null,
    peakSeasonYears: season?.years ?? 0,
  };
  return { profile, occasions };
}
