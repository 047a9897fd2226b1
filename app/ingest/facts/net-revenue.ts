// Net revenue of an order, the figure customer metrics count; docs/data.md is the definition for merchants.
// It is computed in one place, the SQL functions cadence_net_minor and cadence_recompute_order_net
// (prisma/functions/), by every writer: webhooks, backfill, reconciliation and a
// change of the shop's basis.
//   merchandise (default): line items after all discounts, without shipping and tax, less refunded line items;
//   total: what the customer paid, shipping and tax included, less money refunded.
// A cancelled order counts zero; a net is never negative.

export type NetRevenueBasis = "merchandise" | "total";

export const NET_REVENUE_BASES: readonly NetRevenueBasis[] = ["merchandise", "total"];

export function isNetRevenueBasis(value: string): value is NetRevenueBasis {
  return (NET_REVENUE_BASES as readonly string[]).includes(value);
}
