// Shopify Flow triggers (app/publish/flow/): `flowTriggerReceive(handle, payload)`, several in one request as aliased
// mutation fields (t0, t1, …), each with its own userErrors. Shopify runs a document's mutation fields one after the
// other and charges each its own cost (10 points), so a batch saves round trips, not points: throughput is the
// cost bucket's restore rate over 10 (docs/flow.md). `body` is deprecated; `handle` and `payload` replace it.
import type { AdminUserError } from "../errors";
import { defineOperation } from "../operation";
import type { AdminOperation } from "../operation";

/** Triggers per request: 250 points, a quarter of the smallest plan's bucket. */
export const FLOW_TRIGGERS_PER_REQUEST = 25;
export const FLOW_TRIGGER_COST = 10;

export interface FlowTriggerInput {
  handle: string;
  payload: Record<string, unknown>;
}

export type FlowTriggersData = Record<string, { userErrors: AdminUserError[] } | null>;
type FlowTriggersVariables = Record<string, unknown>;

const operations = new Map<number, AdminOperation<FlowTriggersData, FlowTriggersVariables>>();

/**
 * The operation for a batch of `size` triggers (one object per size, so the client learns each one's real cost).
 * Not idempotent: Flow has no idempotency key, so a batch whose answer was lost is never sent again by the client.
 */
export function flowTriggersOperation(size: number): AdminOperation<FlowTriggersData, FlowTriggersVariables> {
  if (!Number.isInteger(size) || size < 1 || size > FLOW_TRIGGERS_PER_REQUEST)
    throw new RangeError(`a Flow trigger batch holds 1 to ${FLOW_TRIGGERS_PER_REQUEST} triggers`);
  let operation = operations.get(size);
  if (!operation) {
    const indexes = Array.from({ length: size }, (_, index) => index);
    const document = `mutation CadenceFlowTriggers(${indexes.map((i) => `$h${i}: String!, $p${i}: JSON!`).join(", ")}) {
${indexes
  .map((i) => `  t${i}: flowTriggerReceive(handle: $h${i}, payload: $p${i}) { userErrors { field message } }`)
  .join("\n")}
}`;
    operation = defineOperation<FlowTriggersData, FlowTriggersVariables>(document, {
      idempotent: false,
      estimatedCost: FLOW_TRIGGER_COST * size,
    });
    operations.set(size, operation);
  }
  return operation;
}

/** The batch's variables: h0/p0, h1/p1, … in order. */
export function flowTriggersVariables(triggers: readonly FlowTriggerInput[]): FlowTriggersVariables {
  return Object.fromEntries(
    triggers.flatMap((trigger, index) => [
      [`h${index}`, trigger.handle],
      [`p${index}`, trigger.payload],
    ]),
  );
}

/** Each trigger's userErrors, in the batch's order (an alias Shopify did not answer counts as refused). */
export function flowTriggerResults(data: FlowTriggersData, size: number): AdminUserError[][] {
  return Array.from({ length: size }, (_, index) => {
    const result = data[`t${index}`];
    return result ? result.userErrors : [{ field: null, message: "Shopify returned no result for this trigger" }];
  });
}
