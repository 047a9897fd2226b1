import type { Prisma } from "@prisma/client";
import type { Database } from "~/db.server";
import type { ClassifyContext } from "~/segments/classify";
import { computeProfile } from "~/profiles/profile";
import { ShopModelBuilder } from "~/segments/shop-model";
import type { ShopModel } from "~/segments/shop-model";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { defaultProgram } from "~/segments/tiers/default-program";
import { classifyBatch } from "./classify-batch.server";
import { loadCustomerStates } from "./customer-state.server";
import { customerCondition, dateOfDay, isoDate } from "./database.server";
import type { CustomerSet } from "./database.server";
import type { SqlExecutor } from "~/database/sql-executor";
import type { Day } from "~/profiles/days";
import { customerPage, decodeOrders, loadShop, readOrdersJson, today } from "./facts.server";
import type { ShopFacts } from "./facts.server";
import { historyComplete, markBaseline } from "./baseline.server";
import { saveBacktest } from "./backtest-store.server";
import { acquireLease, releaseLease, renewLease } from "./lease.server";
import type { Lease } from "./lease.server";
import { saveProgramVersion } from "./program-store.server";
import { loadSegmentConfig } from "./segment-config.server";
import type { SegmentConfig } from "./segment-config.server";
import { removeDepartedCustomers } from "./departed.server";
import { emptyWriteSummary, joinPrepared, markForRefresh, prepareBatch, writeResults } from "./write-results.server";
import type { PreparedBatch, WriteSummary } from "./write-results.server";

// The full pass: refit, re-quantile, reclassify, write back. Customers stream in batches by Shopify ID twice: first
// to build the shop model (a few numbers per customer), then to classify and write. Each batch's orders are read
// once, in the first phase, and kept as the JSON text they arrive in for the second, up to ORDER_CACHE_CHARS; past
// that budget a batch is read again. Memory is bounded by the batch size, O(customers) numbers and that budget. The
// second phase classifies the customers the first one read; one who arrives in between is left to the profile
// refresh, which their first order triggers anyway. One pass per shop at a time (lease.server.ts).

export const DEFAULT_BATCH_SIZE = 2000;
/** About 100 characters per order: 1.3M orders, 256 MB at most (two bytes a character when not Latin-1). */
export const ORDER_CACHE_CHARS = 128 * 2 ** 20;

export interface FullPassOptions {
  asOf?: Day;
  batchSize?: number;
  /** The budget for orders kept between the phases (ORDER_CACHE_CHARS); 0 reads every batch twice. */
  orderCacheChars?: number;
  /** Progress lines, for the CLI. */
  log?: (line: string) => void;
  /** How long to wait for another pass of the shop to finish (a program change must be applied, not skipped); 0: skip at once. */
  waitForOtherPassMs?: number;
}

const LEASE_POLL_MS = 500;

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
  /**
   * Where the time went, in milliseconds: building the model (first read), reading, classifying, waiting for writes;
   * `backtest` is the part of `model` spent on the predictions' backtest and model choice.
   */
  phases: { model: number; read: number; classify: number; writeWait: number; backtest: number };
}

async function* batches(sql: SqlExecutor, shopId: string, size: number): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const ids = await customerPage(sql, shopId, after, size);
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1] as string;
    if (ids.length < size) return;
  }
}

/**
 * Each page of customers with its data, the next pages' reads (`depth` of them) already under way while the caller
 * works on this one: PostgreSQL reads while Node computes, instead of each waiting for the other. depth + 1 pages
 * in memory at most.
 */
async function* readAhead<P, T>(
  pages: AsyncIterator<P> | Iterator<P>,
  read: (page: P) => Promise<T>,
  depth = 1,
): AsyncGenerator<{ page: P; data: T }> {
  const pending: Array<{ page: P; data: Promise<T> }> = [];
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && pending.length <= depth) {
      const next = await pages.next();
      if (next.done) exhausted = true;
      else {
        const data = read(next.value);
        // Awaited below; until then a failure must not count as unhandled.
        data.catch(() => undefined);
        pending.push({ page: next.value, data });
      }
    }
  };
  await fill();
  while (pending.length > 0) {
    const current = pending.shift() as { page: P; data: Promise<T> };
    await fill();
    yield { page: current.page, data: await current.data };
  }
}

/**
 * Whether a page's kept orders still hold for classification: none of its customers has facts waiting for a
 * refresh (a change since, or not yet refreshed), and no refresh has written a profile since the page was read (from
 * facts that may be newer, but classified with the previous model). Otherwise the page is read again, so the pass
 * ends as it would have on its own (test/integration/recompute-programs.test.ts).
 */
async function unchangedSince(
  sql: SqlExecutor,
  shopId: string,
  customers: CustomerSet,
  readAt: Date,
): Promise<boolean> {
  const dirty = customerCondition(`"shopifyId"`, customers, 2);
  const refreshed = customerCondition(`"customerShopifyId"`, customers, 2);
  const { rows } = await sql.query<{ changed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "Customer" WHERE "shopId" = $1 AND ${dirty.sql} AND "metricsDirtyAt" IS NOT NULL)
         OR EXISTS (SELECT 1 FROM "CustomerProfile" WHERE "shopId" = $1 AND ${refreshed.sql} AND "computedAt" > $${
           dirty.params.length + 2
         }::timestamptz) AS changed`,
    [shopId, ...dirty.params, readAt.toISOString()],
  );
  return rows[0]?.changed === false;
}

/** A batch of customers as the first phase read it: their orders kept as JSON text, or null past the budget. */
interface ReadPage {
  ids: string[];
  readAt: Date;
  orders: string | null;
}

async function buildModel(
  sql: SqlExecutor,
  shop: ShopFacts,
  config: SegmentConfig,
  asOf: Day,
  size: number,
  cacheChars: number,
  onBatch: () => Promise<void>,
) {
  const builder = new ShopModelBuilder(asOf, shop.currency);
  const pages: ReadPage[] = [];
  let kept = 0;
  const read = async (ids: string[]) => ({
    readAt: new Date(),
    json: await readOrdersJson(sql, shop, { ids, contiguous: true }, true),
  });
  // Two reads ahead: the model's reads are the phase's longest part, and PostgreSQL can run two at once.
  for await (const { page: ids, data } of readAhead(batches(sql, shop.id, size), read, 2)) {
    const orders = decodeOrders(ids, data.json);
    for (const id of ids) {
      const { profile, occasions } = computeProfile(id, orders.get(id) ?? [], asOf);
      builder.add(profile, occasions);
    }
    const keep = kept + data.json.length <= cacheChars;
    if (keep) kept += data.json.length;
    pages.push({ ids, readAt: data.readAt, orders: keep ? data.json : null });
    await onBatch();
  }
  return { ...builder.build(config.settings), pages };
}

// Two batches' write transactions at a time: one writes its profiles (no lock needed) while the other holds the
// shop's segment lock for its memberships and statuses (write-results.server.ts).
const WRITES_IN_FLIGHT = 2;

// Classification is synchronous and a batch takes a while. Done in slices with the event loop let through
// in between, the previous batch's write transaction can send its next statement meanwhile instead of waiting for
// the whole batch (the write is the pass's critical path).
const CLASSIFY_SLICE = 50;

async function classifyInSlices(ids: string[], classify: (slice: string[]) => PreparedBatch): Promise<PreparedBatch> {
  const parts: PreparedBatch[] = [];
  for (let start = 0; start < ids.length; start += CLASSIFY_SLICE) {
    parts.push(classify(ids.slice(start, start + CLASSIFY_SLICE)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return joinPrepared(parts);
}

async function acquireLeaseWithin(sql: SqlExecutor, shopId: string, waitMs: number): Promise<Lease | null> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    const lease = await acquireLease(sql, shopId);
    if (lease || Date.now() >= giveUpAt) return lease;
    await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
  }
}

export async function runFullPass(
  database: Database,
  shopId: string,
  options: FullPassOptions = {},
): Promise<FullPassResult> {
  const started = performance.now();
  const { prisma, sql } = database;
  const shop = await loadShop(prisma, { id: shopId });
  const asOf = options.asOf ?? today(shop);
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const log = options.log ?? (() => undefined);
  const written: WriteSummary = emptyWriteSummary();
  const result: FullPassResult = {
    status: "done",
    shopId,
    asOf: isoDate(asOf) as string,
    customers: 0,
    batches: 0,
    millis: 0,
    programVersion: null,
    createdDefaultProgram: false,
    written,
    removed: 0,
    phases: { model: 0, read: 0, classify: 0, writeWait: 0, backtest: 0 },
  };
  const phases = result.phases;
  const timed = async <T>(phase: keyof FullPassResult["phases"], work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] += performance.now() - started;
    }
  };

  const lease = await acquireLeaseWithin(sql, shopId, options.waitForOtherPassMs ?? 0);
  if (!lease) return { ...result, status: "skipped", reason: "another full pass of this shop is running" };
  try {
    // Read before the pass: a backfill finishing while it runs leaves customers the pass never saw complete.
    const wholeHistory = await historyComplete(sql, shopId);
    let config = await loadSegmentConfig(prisma, shop);
    const built = await timed("model", () =>
      buildModel(sql, shop, config, asOf, size, options.orderCacheChars ?? ORDER_CACHE_CHARS, () =>
        renewLease(sql, lease),
      ),
    );
    const { recentSpendMinor, pages, backtestMillis } = built;
    // Customers are classified against the model as it is stored (a JSON round trip), which is what a refresh reads
    // back: the fit in memory can hold what JSON does not keep (-0, non-finite numbers), and a refresh landing after
    // this pass must compute exactly what the pass did.
    const model = JSON.parse(JSON.stringify(built.model)) as ShopModel;
    phases.backtest = backtestMillis;
    log(
      `model: ${model.customers} customers, ${model.buyers} buyers, ${
        model.repeatBuyers
      } repeat; typical gap ${model.typicalGapDays.toFixed(1)} days`,
    );
    await prisma.modelState.upsert({
      where: { shopId },
      create: { shopId, ...modelRow(model, asOf) },
      update: modelRow(model, asOf),
    });
    const backtest = model.predictive?.model.backtest;
    if (backtest) {
      await saveBacktest(prisma, shopId, backtest);
      log(
        `backtest: ${backtest.chosen.name}${backtest.chosen.seasonal ? " (seasonal)" : ""} chosen; ${Math.round(
          backtest.score.expectedOrders,
        )} orders expected over ${backtest.horizonDays} days, ${backtest.score.actualOrders} came`,
      );
    }
    if (!config.program) {
      await saveProgramVersion(prisma, shop, defaultProgram(recentSpendMinor, shop.currency), {
        source: "default",
        effectiveOn: asOf,
      });
      result.createdDefaultProgram = true;
      log("created the default loyalty program from the shop's spend distribution");
    }
    config = await loadSegmentConfig(prisma, shop);
    result.programVersion = config.program?.version ?? null;
    const context: ClassifyContext = {
      asOf,
      currency: shop.currency,
      settings: config.settings,
      model,
      program: config.program?.program ?? null,
      customSegments: config.customSegments,
    };
    const segmentKeys = new Set<string>([...BUILTIN_SEGMENTS, ...config.customSegments.map((segment) => segment.key)]);

    // Pipelined: while two batches' write transactions run in PostgreSQL, the next batch is classified and the one
    // after it read. readAt is when a batch's orders were read: a profile stored after it is newer and is kept.
    const writes: Array<Promise<void>> = [];
    const read = async (page: ReadPage) => {
      const { ids, orders: kept } = page;
      // Released as it is used: the kept text shrinks as the phase goes.
      page.orders = null;
      const rereadAt = new Date();
      const customers = { ids, contiguous: true };
      const [reusable, states] = await Promise.all([
        kept !== null && unchangedSince(sql, shopId, customers, page.readAt),
        loadCustomerStates(sql, shopId, customers, asOf),
      ]);
      const json = reusable ? (kept as string) : await readOrdersJson(sql, shop, customers, true);
      return { readAt: reusable ? page.readAt : rereadAt, orders: decodeOrders(ids, json), states };
    };
    const classifyPages = readAhead(pages.values(), read);
    for (;;) {
      const next = await timed("read", () => classifyPages.next());
      if (next.done) break;
      const {
        page: { ids },
        data: { readAt, orders, states },
      } = next.value;
      const prepared = await timed("classify", () =>
        classifyInSlices(ids, (slice) => prepareBatch(classifyBatch(slice, orders, states, config, context))),
      );
      if (writes.length >= WRITES_IN_FLIGHT) await timed("writeWait", () => writes.shift());
      const write = database
        .transaction((tx) =>
          writeResults(
            tx,
            {
              shopId,
              program: config.program,
              programVersions: config.programVersions,
              readAt,
              segmentKeys,
              contiguous: true,
            },
            prepared,
          ),
        )
        .then(async (summary) => {
          await markForRefresh(sql, shopId, summary.overtakenIds);
          for (const key of Object.keys(written) as Array<keyof WriteSummary>) written[key] += summary[key];
          result.customers += ids.length;
          result.batches += 1;
          await renewLease(sql, lease);
          log(`  ${result.customers} customers written`);
        });
      // A failed write surfaces when it is awaited; until then it must not count as unhandled.
      write.catch(() => undefined);
      writes.push(write);
    }
    await timed("writeWait", () => Promise.all(writes));
    for (const phase of Object.keys(phases) as Array<keyof typeof phases>) phases[phase] = Math.round(phases[phase]);
    result.removed = await removeDepartedCustomers(database, shopId);
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
    if (wholeHistory) await markBaseline(sql, shopId);
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
