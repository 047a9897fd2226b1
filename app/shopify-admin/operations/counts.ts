// Totals for the backfill's progress bar while its bulk operations run (rootObjectCount is known only at the end).
import { defineOperation } from "../operation";

export interface Count {
  count: number;
  precision: "EXACT" | "AT_LEAST";
}

/** limit: null asks for the exact count (the default caps it at 10,000). */
export const SHOP_COUNTS = defineOperation<{ ordersCount: Count | null; customersCount: Count | null }>(
  `query ShopCounts {
  ordersCount(limit: null) { count precision }
  customersCount { count precision }
}`,
  { estimatedCost: 2 },
);
