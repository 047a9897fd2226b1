import type { Prisma, PrismaClient } from "@prisma/client";
import type { ClassifyContext } from "~/segments/classify";
import { computeProfile } from "./profile";
import { ShopModelBuilder, type ShopModel } from "~/segments/shop-model";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { defaultProgram } from "~/segments/tiers/default-program";
import { classifyBatch } from "./classify-batch.server";
import { loadCustomerStates } from "./customer-state.server";
import { dateOfDay, isoDate } from "./database.server";
import type { Day } from "./days";
import { customerPage, loadShop, readOrders, today, type ShopFacts } from "./facts.server";
import { acquireLease, releaseLease, renewLease } from "./lease.server";
import { saveProgramVersion } from "./program-store.server";
import { loadSegmentConfig, type SegmentConfig } from "./segment-config.server";
import { removeDepartedCustomers } from "./departed.server";
import { writeResults, type WriteSummary } from "./write-results.server";

// The full pass: refit, re-quantile, reclassify, write back. Customers stream in batches by Shopify ID twice:
// first to build the shop model (a few numbers per customer, never their orders), then to classify and write.
// Memory is bounded by the batch size plus O(customers) numbers. One pass per shop at a time (lease.server.ts).

export const DEFAULT_BATCH_SIZE = 2000;

export interface FullPassOptions {
  asOf?: Day;
  batchSize?: number;
  /** Progress lines, for the CLI. */
  log?: (line: string) => void;
}

export interface FullPassResult {
  status: "done" | "skipped";
  reason?: string;
  shopId: string;
  asOf: string;
  customers: number;
  batches: number;
  millis: number;
  model?: Pick<ShopModel, "customers" | "buyers" | "repeatBuyers" | "typicalGapDays" | "valueCutoffMinor" | "fallback">;
  programVersion: number | null;
  createdDefaultProgram: boolean;
  written: WriteSummary;
  removed: number;
}

async function* batches(prisma: PrismaClient, shopId: string, size: number): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const ids = await customerPage(prisma, shopId, after, size);
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1] as string;
    if (ids.length < size) return;
  }
}

async function buildModel(prisma: PrismaClient, shop: ShopFacts, config: SegmentConfig, asOf: Day, size: number, onBatch: () => Promise<void>) {
  const builder = new ShopModelBuilder(asOf, shop.currency);
  for await (const ids of batches(prisma, shop.id, size)) {
    const orders = await readOrders(prisma, shop, ids, false);
    for (const id of ids) {
      const { profile, occasions } = computeProfile(id, orders.get(id) ?? [], asOf);
      builder.add(profile, occasions);
    }
    await onBatch();
  }
  return builder.build(config.settings);
}

export async function runFullPass(prisma: PrismaClient, shopId: string, options: FullPassOptions = {}): Promise<FullPassResult> {
  const started = performance.now();
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const log = options.log ?? (() => undefined);
  const written: WriteSummary = { written: 0, skippedNewer: 0, entered: 0, exited: 0, tierChanges: 0 };
  const result: FullPassResult = { status: "done", shopId, asOf: isoDate(asOf) as string, customers: 0, batches: 0, millis: 0, programVersion: null, createdDefaultProgram: false, written, removed: 0 };

  const lease = await acquireLease(prisma, shopId);
  if (!lease) return { ...result, status: "skipped", reason: "another full pass of this shop is running" };
  try {
    let config = await loadSegmentConfig(prisma, shop);
    const { model, recentSpendMinor } = await buildModel(prisma, shop, config, asOf, size, () => renewLease(prisma, lease));
    log(`model: ${model.customers} customers, ${model.buyers} buyers, ${model.repeatBuyers} repeat; typical gap ${model.typicalGapDays.toFixed(1)} days`);
    await prisma.modelState.upsert({
      where: { shopId },
      create: { shopId, ...modelRow(model, asOf) },
      update: modelRow(model, asOf),
    });
    if (!config.program) {
      await saveProgramVersion(prisma, shop, defaultProgram(recentSpendMinor, shop.currency), { source: "default", effectiveOn: asOf });
      result.createdDefaultProgram = true;
      log("created the default loyalty program from the shop's spend distribution");
    }
    config = await loadSegmentConfig(prisma, shop);
    result.programVersion = config.program?.version ?? null;
    const context: ClassifyContext = { asOf, currency: shop.currency, settings: config.settings, model, program: config.program?.program ?? null, customSegments: config.customSegments };
    const segmentKeys = new Set<string>([...BUILTIN_SEGMENTS, ...config.customSegments.map((segment) => segment.key)]);

    for await (const ids of batches(prisma, shopId, size)) {
      const readAt = new Date();
      const [orders, states] = await Promise.all([readOrders(prisma, shop, ids, true), loadCustomerStates(prisma, shopId, ids, asOf)]);
      const classified = classifyBatch(ids, orders, states, config, context);
      const summary = await prisma.$transaction((tx: Prisma.TransactionClient) => writeResults(tx, { shopId, program: config.program, readAt, segmentKeys }, classified), {
        timeout: 120_000,
        maxWait: 60_000,
      });
      for (const key of Object.keys(written) as Array<keyof WriteSummary>) written[key] += summary[key];
      result.customers += ids.length;
      result.batches += 1;
      await renewLease(prisma, lease);
      log(`  ${result.customers} customers written`);
    }
    result.removed = await removeDepartedCustomers(prisma, shopId);
    result.millis = Math.round(performance.now() - started);
    result.model = {
      customers: model.customers,
      buyers: model.buyers,
      repeatBuyers: model.repeatBuyers,
      typicalGapDays: model.typicalGapDays,
      valueCutoffMinor: model.valueCutoffMinor,
      fallback: model.fallback,
    };
    await prisma.modelState.update({ where: { shopId }, data: { passMillis: result.millis } });
    return result;
  } finally {
    await releaseLease(prisma, lease);
  }
}

function modelRow(model: ShopModel, asOf: Day) {
  return {
    asOf: dateOfDay(asOf) as Date,
    fittedAt: new Date(),
    customers: model.customers,
    buyers: model.buyers,
    repeatBuyers: model.repeatBuyers,
    typicalGapDays: model.typicalGapDays,
    fallback: model.fallback,
    state: model as unknown as Prisma.InputJsonValue,
    passMillis: null,
  };
}
