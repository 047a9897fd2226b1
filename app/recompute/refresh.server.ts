import type { Database } from "~/db.server";
import type { ClassifyContext } from "~/segments/classify";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { classifyBatch } from "./classify-batch.server";
import { loadCustomerStates } from "./customer-state.server";
import type { Day } from "~/profiles/days";
import { removeDepartedCustomers } from "./departed.server";
import { loadShop, readOrders, today } from "./facts.server";
import { loadSegmentConfig, modelOrEmpty } from "./segment-config.server";
import { emptyWriteSummary, markForRefresh, writeResults } from "./write-results.server";
import type { WriteSummary } from "./write-results.server";

// The incremental refresh: one or a few customers, after an order event, against the shop's current model state
// (RFM cut-offs, typical gap, fitted predictions) without refitting anything. Before the shop's first full pass it
// classifies against an empty model (no RFM scores, the default typical gap) and without a loyalty program.
// Deleted or unknown customers lose their derived rows.

export interface RefreshResult extends WriteSummary {
  removed: number;
}

export async function refreshCustomers(
  database: Database,
  shopId: string,
  customerShopifyIds: readonly string[],
  options: { asOf?: Day } = {},
): Promise<RefreshResult> {
  const ids = [...new Set(customerShopifyIds)].sort();
  const result: RefreshResult = { ...emptyWriteSummary(), removed: 0 };
  if (ids.length === 0) return result;
  const shop = await loadShop(database.prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const live = (
    await database.prisma.customer.findMany({
      where: { shopId, shopifyId: { in: ids }, deletedAt: null },
      select: { shopifyId: true },
    })
  ).map((c) => c.shopifyId);
  if (live.length < ids.length) result.removed = await removeDepartedCustomers(database, shopId, ids);
  if (live.length === 0) return result;

  const config = await loadSegmentConfig(database.prisma, shop);
  const context: ClassifyContext = {
    asOf,
    currency: shop.currency,
    settings: config.settings,
    model: modelOrEmpty(config, shop, asOf),
    program: config.program?.program ?? null,
    customSegments: config.customSegments,
  };
  const readAt = new Date();
  const orders = await readOrders(database.sql, shop, { ids: live, contiguous: false }, true);
  const states = await loadCustomerStates(database.sql, shopId, { ids: live, contiguous: false }, asOf);
  const classified = classifyBatch(live, orders, states, config, context);
  const segmentKeys = new Set<string>([...BUILTIN_SEGMENTS, ...config.customSegments.map((segment) => segment.key)]);
  const { overtakenIds, ...summary } = await database.transaction((sql) =>
    writeResults(
      sql,
      { shopId, program: config.program, programVersions: config.programVersions, readAt, segmentKeys },
      classified,
    ),
  );
  await markForRefresh(database.sql, shopId, overtakenIds);
  return { ...summary, removed: result.removed };
}
