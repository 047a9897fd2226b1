import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { computeProfile } from "~/profiles/profile";
import { classifyCustomer } from "./classify";
import type { Classification, CustomSegment } from "./classify";
import type { TimeUnit } from "./predictions";
import type { SegmentSettings } from "./settings";
import { ShopModelBuilder } from "./shop-model";
import type { ShopModel } from "./shop-model";
import { defaultProgram } from "./tiers/default-program";
import type { LoyaltyProgram } from "./tiers/program";

// Segments a whole shop held in memory (the CLI's case): build the shop model from every customer, derive the
// default loyalty program unless one is given, then classify each customer. The server's full pass does the same
// two steps, streaming customers from the database instead.

export interface Dataset {
  customers: ReadonlyMap<string, readonly ProfileOrder[]>;
  currency: string;
}

export interface SegmentedDataset {
  model: ShopModel;
  program: LoyaltyProgram;
  /** Classifies customers one at a time, in customer order (numeric IDs numerically, others by code point). */
  customers(): Generator<Classification>;
}

export function compareCustomerIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function segmentDataset(
  dataset: Dataset,
  asOf: Day,
  settings: SegmentSettings,
  options: { program?: LoyaltyProgram; customSegments?: CustomSegment[]; unit?: TimeUnit } = {},
): SegmentedDataset {
  const ids = [...dataset.customers.keys()].sort(compareCustomerIds);
  const builder = new ShopModelBuilder(asOf, dataset.currency, options.unit);
  for (const id of ids) {
    const { profile, occasions } = computeProfile(id, dataset.customers.get(id) ?? [], asOf);
    builder.add(profile, occasions);
  }
  const { model, recentSpendMinor } = builder.build(settings);
  const program = options.program ?? defaultProgram(recentSpendMinor, dataset.currency);
  const context = {
    asOf,
    currency: dataset.currency,
    settings,
    model,
    program,
    customSegments: options.customSegments ?? [],
  };
  function* customers(): Generator<Classification> {
    for (const id of ids) {
      yield classifyCustomer(
        { customerId: id, orders: dataset.customers.get(id) ?? [], tierStatus: null, override: null },
        context,
      );
    }
  }
  return { model, program, customers };
}
