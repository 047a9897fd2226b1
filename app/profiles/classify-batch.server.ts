import { classifyCustomer, type ClassifyContext } from "~/segments/classify";
import { customerRecord, type CustomerRecord } from "~/segments/customer-record";
import { statusForProgram, type ProgramMove } from "~/segments/tiers/change";
import { initialStatus, type TierStatus } from "~/segments/tiers/replay";
import type { CustomerState } from "./customer-state.server";
import type { ProfileOrder } from "./orders";
import type { SegmentConfig } from "./segment-config.server";

// Classifies a batch of customers read from the database: their stored loyalty status is first moved into the
// current program version (when it changed since), then everything is computed by classifyCustomer.

export interface ClassifiedCustomer {
  customerId: string;
  record: CustomerRecord;
  /** The new loyalty status (null when the shop has no program). */
  status: TierStatus | null;
  /** Tier moves since the stored status, for the tier history. */
  moves: ProgramMove[];
}

export function classifyBatch(
  ids: readonly string[],
  orders: ReadonlyMap<string, readonly ProfileOrder[]>,
  states: ReadonlyMap<string, CustomerState>,
  config: SegmentConfig,
  context: ClassifyContext,
): ClassifiedCustomer[] {
  const current = config.program;
  return ids.map((customerId) => {
    const customerOrders = orders.get(customerId) ?? [];
    const state = states.get(customerId) ?? { status: null, override: null };
    let start: TierStatus | null = state.status;
    const moves: ProgramMove[] = [];
    if (current && state.status && state.status.programVersion !== current.version) {
      const from = config.programVersions.get(state.status.programVersion)?.program ?? null;
      const moved = statusForProgram(state.status, from, current.program, customerOrders, current.effectiveOn);
      start = moved.status;
      moves.push(...moved.moves);
    }
    // First evaluation: from the day the program took effect, so nobody gets a tier history from before the
    // program existed; on that day everyone enters the tier their qualifying value reaches.
    if (current && !start) start = initialStatus(current.effectiveOn);
    const classification = classifyCustomer({ customerId, orders: customerOrders, tierStatus: start, override: state.override }, context);
    if (classification.tier) moves.push(...classification.tier.transitions.map((t) => ({ ...t, reason: t.direction })));
    return { customerId, record: customerRecord(classification, current?.program ?? null), status: classification.tier?.status ?? null, moves };
  });
}
