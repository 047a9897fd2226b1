import { classifyCustomer } from "~/segments/classify";
import type { ClassifyContext } from "~/segments/classify";
import { customerRecord } from "~/segments/customer-record";
import type { CustomerRecord } from "~/segments/customer-record";
import { advanceTier } from "~/segments/tiers/advance";
import type { TierMove } from "~/segments/tiers/advance";
import type { TierStatus } from "~/segments/tiers/replay";
import type { CustomerState } from "./customer-state.server";
import type { Day } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import type { SegmentConfig } from "./segment-config.server";

// Classifies a batch of customers read from the database: their stored loyalty status is brought forward under the
// current program version (advanceTier: the same function the program preview runs), then everything else is
// computed by classifyCustomer.

export interface ClassifiedCustomer {
  customerId: string;
  record: CustomerRecord;
  /** The new loyalty status (null when the shop has no program). */
  status: TierStatus | null;
  /** The stored status this one was brought forward from (null: none): written only if it is still the stored one. */
  startedFrom: { programVersion: number; evaluatedOn: Day } | null;
  /** Moves of the customer's tier since the stored status, for the tier history. */
  moves: TierMove[];
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
    // First evaluation (no stored status): from the day the program took effect, so nobody gets a tier history from
    // before the program existed; on that day everyone enters the tier their qualifying value reaches.
    const advance = current
      ? advanceTier(
          state.status,
          state.override,
          customerOrders,
          { current, versions: config.programVersions },
          context.asOf,
        )
      : null;
    const classification = classifyCustomer(
      {
        customerId,
        orders: customerOrders,
        tierStatus: advance?.status ?? null,
        ...(advance ? { tierReplay: advance } : {}),
        override: state.override,
      },
      context,
    );
    const startedFrom = state.status && {
      programVersion: state.status.programVersion,
      evaluatedOn: state.status.evaluatedOn,
    };
    return {
      customerId,
      record: customerRecord(classification, current?.program ?? null),
      status: advance?.status ?? null,
      startedFrom,
      moves: advance?.moves ?? [],
    };
  });
}
