import type { SqlExecutor } from "~/database/sql-executor";
import { customerRedactionPending } from "~/privacy/gone";
import { holdAbove } from "./holds.server";
import { loadPayloadContext, loadSources } from "./sources.server";
import { FLOW_STATE_LABELS, FLOW_STATES } from "./states";
import type { FlowState } from "./states";
import { buildPayload, describePayload, TRIGGERS } from "./triggers";
import type { FlowPayload, TriggerKind } from "./triggers";

// The Flow activity the admin page and the CLI show: since when the shop's triggers are sent, the moves held for the
// merchant, the triggers that may not have reached Flow, counts by state, and the latest triggers with what each said
// (or, not sent yet, will say). Customer IDs only, as everywhere in Cadence.

export interface FlowActivityRow {
  id: string;
  createdAt: string;
  kind: TriggerKind;
  trigger: string;
  customerId: string;
  description: string;
  state: FlowState;
  stateLabel: string;
  error: string | null;
}

export interface FlowHoldView {
  id: string;
  label: string;
  customers: number;
  createdAt: string;
  /** Triggers of a released hold still waiting to be sent. */
  waiting: number;
}

export interface FlowOverview {
  liveSince: string | null;
  holdAbove: number;
  holds: FlowHoldView[];
  /** Released in the last day, with how many of their triggers are still to send. */
  releasing: FlowHoldView[];
  unconfirmed: number;
  counts: Record<FlowState, number>;
  recent: FlowActivityRow[];
}

export async function flowOverview(
  sql: SqlExecutor,
  shopId: string,
  options: { limit?: number; state?: FlowState } = {},
): Promise<FlowOverview> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const state = await sql.query<{ liveSince: Date | null }>(`SELECT "liveSince" FROM "FlowState" WHERE "shopId" = $1`, [
    shopId,
  ]);
  const counts = Object.fromEntries(FLOW_STATES.map((name) => [name, 0])) as Record<FlowState, number>;
  const grouped = await sql.query<{ state: FlowState; n: number }>(
    `SELECT state, count(*)::int AS n FROM "FlowTrigger" WHERE "shopId" = $1 GROUP BY state`,
    [shopId],
  );
  for (const row of grouped.rows) counts[row.state] = row.n;
  const holds = await sql.query<{
    id: string;
    label: string;
    customers: number;
    createdAt: Date;
    state: string;
    waiting: number;
  }>(
    `SELECT h.id::text AS id, h.label, h.customers, h."createdAt", h.state,
            (SELECT count(*)::int FROM "FlowTrigger" t WHERE t."holdId" = h.id AND t.state IN ('pending', 'sending')) AS waiting
       FROM "FlowHold" h
      WHERE h."shopId" = $1 AND (h.state = 'held' OR (h.state = 'released' AND h."decidedAt" > now() - interval '1 day'))
      ORDER BY h.id`,
    [shopId],
  );
  const view = (row: (typeof holds.rows)[number]): FlowHoldView => ({
    id: row.id,
    label: row.label,
    customers: row.customers,
    createdAt: row.createdAt.toISOString(),
    waiting: row.waiting,
  });
  const recent = await sql.query<{
    id: string;
    createdAt: Date;
    kind: TriggerKind;
    customer: string;
    state: FlowState;
    payload: FlowPayload | null;
    error: string | null;
  }>(
    `SELECT id::text AS id, "createdAt", kind, "customerShopifyId" AS customer, state, payload, error
       FROM "FlowTrigger" t WHERE "shopId" = $1 ${options.state ? "AND state = $3" : ""}
        AND NOT ${customerRedactionPending(`t."shopId"`, `t."customerShopifyId"`)}
      ORDER BY "createdAt" DESC, id DESC LIMIT $2`,
    options.state ? [shopId, limit, options.state] : [shopId, limit],
  );
  // (The latest triggers leave out customers whose redaction is pending: they are gone, app/privacy/gone.ts.)
  // Not sent yet: what the trigger will say, from its transition.
  const unsent = recent.rows.filter((row) => row.payload === null).map((row) => row.id);
  const previews = new Map<string, FlowPayload>();
  if (unsent.length) {
    const context = await loadPayloadContext(sql, shopId);
    for (const row of await loadSources(sql, shopId, unsent)) previews.set(row.id, buildPayload(row.source, context));
  }
  return {
    liveSince: state.rows[0]?.liveSince?.toISOString() ?? null,
    holdAbove: await holdAbove(sql, shopId),
    holds: holds.rows.filter((row) => row.state === "held").map(view),
    releasing: holds.rows.filter((row) => row.state === "released" && row.waiting > 0).map(view),
    unconfirmed: counts.unconfirmed,
    counts,
    recent: recent.rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      kind: row.kind,
      trigger: TRIGGERS[row.kind].name,
      customerId: row.customer,
      description: describePayload(row.kind, row.payload ?? previews.get(row.id) ?? null),
      state: row.state,
      stateLabel: FLOW_STATE_LABELS[row.state],
      error: row.error,
    })),
  };
}

/** The overview as text, for the CLI. */
export function formatFlowOverview(shopDomain: string, overview: FlowOverview): string {
  const lines = [`Shopify Flow triggers of ${shopDomain}`];
  lines.push(
    overview.liveSince
      ? `  Sending since ${overview.liveSince} (the end of the first full pass).`
      : "  Not sending yet: triggers start when the first full segment pass ends.",
  );
  lines.push(`  Moves of more than ${overview.holdAbove} customers in one round are held for review.`);
  const counted = FLOW_STATES.filter((state) => overview.counts[state] > 0).map(
    (state) => `${overview.counts[state]} ${FLOW_STATE_LABELS[state].toLowerCase()}`,
  );
  lines.push(`  Triggers: ${counted.length ? counted.join(", ") : "none yet"}.`);
  for (const hold of overview.holds)
    lines.push(
      `  Held: ${hold.label}, ${hold.customers} customers (${hold.createdAt}); decide on the Flow page of the admin.`,
    );
  if (overview.unconfirmed)
    lines.push(
      `  ${overview.unconfirmed} may not have reached Flow (Cadence stopped while sending them); see the Flow page.`,
    );
  if (overview.recent.length)
    lines.push(
      "",
      "When                      Trigger                              Customer              Status                       What",
    );
  for (const row of overview.recent) {
    lines.push(
      `${row.createdAt.padEnd(26)}${row.trigger.padEnd(37)}${row.customerId.padEnd(22)}${row.stateLabel.padEnd(29)}${
        row.description
      }${row.error ? ` (${row.error})` : ""}`,
    );
  }
  return lines.join("\n");
}
