import type { Prisma, PrismaClient } from "@prisma/client";
import type { Database } from "~/db.server";
import type { ClassifyContext } from "~/segments/classify";
import { computeProfile } from "./profile";
import { ShopModelBuilder, type ShopModel } from "~/segments/shop-model";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { defaultProgram } from "~/segments/tiers/default-program";
import { classifyBatch } from "./classify-batch.server";
import { loadCustomerStates } from "./customer-state.server";
import { dateOfDay, isoDate, segmentDb, type SqlRunner } from "./database.server";
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
  /** Where the time went, in milliseconds: building the model (first read), reading, classifying, waiting for writes. */
  phases: { model: number; read: number; classify: number; writeWait: number };
}

async function* batches(sql: SqlRunner, shopId: string, size: number): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const ids = await customerPage(sql, shopId, after, size);
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1] as string;
    if (ids.length < size) return;
  }
}

async function buildModel(sql: SqlRunner, shop: ShopFacts, config: SegmentConfig, asOf: Day, size: number, onBatch: () => Promise<void>) {
  const builder = new ShopModelBuilder(asOf, shop.currency);
  for await (const ids of batches(sql, shop.id, size)) {
    const orders = await readOrders(sql, shop, { ids, contiguous: true }, false);
    for (const id of ids) {
      const { profile, occasions } = computeProfile(id, orders.get(id) ?? [], asOf);
      builder.add(profile, occasions);
    }
    await onBatch();
  }
  return builder.build(config.settings);
}

/** Pass the app's Database (database()) to run the bulk SQL on node-postgres directly; a Prisma client works too. */
export async function runFullPass(source: PrismaClient | Database, shopId: string, options: FullPassOptions = {}): Promise<FullPassResult> {
  const started = performance.now();
  const db = segmentDb(source);
  const prisma = db.prisma;
  const sql = db.sql;
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const log = options.log ?? (() => undefined);
  const written: WriteSummary = { written: 0, skippedNewer: 0, entered: 0, exited: 0, tierChanges: 0 };
  const result: FullPassResult = { status: "done", shopId, asOf: isoDate(asOf) as string, customers: 0, batches: 0, millis: 0, programVersion: null, createdDefaultProgram: false, written, removed: 0, phases: { model: 0, read: 0, classify: 0, writeWait: 0 } };
  const phases = result.phases;
  const timed = async <T,>(phase: keyof FullPassResult["phases"], work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += performance.now() - started;
    }
  };

  const lease = await acquireLease(sql, shopId);
  if (!lease) return { ...result, status: "skipped", reason: "another full pass of this shop is running" };
  try {
    let config = await loadSegmentConfig(prisma, shop);
    const { model, recentSpendMinor } = await timed("model", () => buildModel(sql, shop, config, asOf, size, () => renewLease(sql, lease)));
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

    // Pipelined: while one batch's write transaction runs in PostgreSQL, the next batch is read and classified.
    let writing: Promise<void> = Promise.resolve();
    for await (const ids of batches(sql, shopId, size)) {
      const readAt = new Date();
      const [orders, states] = await timed("read", () => Promise.all([readOrders(sql, shop, { ids, contiguous: true }, true), loadCustomerStates(sql, shopId, { ids, contiguous: true }, asOf)]));
      const classified = await timed("classify", () => classifyBatch(ids, orders, states, config, context));
      await timed("writeWait", () => writing);
      writing = db
        .transaction((tx) => writeResults(tx, { shopId, program: config.program, readAt, segmentKeys, contiguous: true }, classified))
        .then(async (summary) => {
          for (const key of Object.keys(written) as Array<keyof WriteSummary>) written[key] += summary[key];
          result.customers += ids.length;
          result.batches += 1;
          await renewLease(sql, lease);
          log(`  ${result.customers} customers written`);
        });
      // A failed write surfaces at the next await; until then it must not count as unhandled.
      writing.catch(() => undefined);
    }
    await timed("writeWait", () => writing);
    for (const phase of Object.keys(phases) as Array<keyof typeof phases>) phases[phase] = Math.round(phases[phase]);
    result.removed = await removeDepartedCustomers(db, shopId);
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
    await releaseLease(sql, lease);
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
