import { randomUUID } from "node:crypto";
import type { Database } from "~/db.server";
import { transactionOn } from "~/database/sql-executor";
import type { SqlExecutor } from "~/database/sql-executor";
import type { AdminClient } from "~/shopify-admin/client";
import { customerRedactionPending } from "~/privacy/gone";
import { isAdminApiError, NoShopifyStoreError } from "~/shopify-admin/errors";
import type { AdminApiErrorKind } from "~/shopify-admin/errors";
import {
  FLOW_TRIGGERS_PER_REQUEST,
  flowTriggerResults,
  flowTriggersOperation,
  flowTriggersVariables,
} from "~/shopify-admin/operations/flow-triggers";
import { evaluateNewTriggers } from "./holds.server";
import type { HoldEvaluation } from "./holds.server";
import { loadPayloadContext, loadSources } from "./sources.server";
import { buildPayload, TRIGGERS } from "./triggers";
import type { FlowPayload, PayloadContext, TriggerKind } from "./triggers";

// Sends a shop's Flow triggers from the outbox, exactly once (docs/flow.md "Exactly once"):
// - One dispatcher per shop: a session advisory lock on a connection held for the run. A row still "sending" when
//   the lock is free was claimed by a dispatcher that died.
// - A batch is claimed ("sending", with the attempt's token), its payloads are stored, and only then sent. A dead
//   dispatcher's row without a payload was never sent: it goes back to "pending". One with a payload may have
//   reached Flow, which has no idempotency key: it becomes "unconfirmed" and is never sent again unless the merchant
//   asks. So a crash or a retry never sends a trigger twice, and never drops one without saying so.
// - Answers Shopify gives without running the request (THROTTLED, 401/403, other 4xx, a refused document) put the
//   batch back; a dropped connection or a 5xx after sending leaves it "unconfirmed".
// - Pacing is the one Admin client's: it waits for the shop's cost bucket before each request (10 points a trigger).
// A shop with no Shopify store (the local demo) records each batch with the payload it would have sent.
// - A customer whose customers/redact is pending is gone (app/privacy/gone.ts): their triggers are neither claimed
//   nor counted as waiting; the privacy job deletes them.

export const DEFAULT_MAX_TRIGGERS_PER_RUN = 2_000;

export interface DispatchOptions {
  /** Triggers one run sends at most; the rest wait for the next run (the job queues one). */
  maxTriggers?: number;
  batchSize?: number;
}

export interface DispatchResult {
  /** "busy": another dispatcher holds the shop's lock. */
  status: "done" | "busy";
  /** A dead dispatcher's rows: put back (never sent) or left unconfirmed (may have been). */
  orphans: { requeued: number; unconfirmed: number };
  /** Null while the shop's full pass runs: its moves are evaluated together once it ends. */
  evaluation: HoldEvaluation | null;
  sent: number;
  refused: number;
  recorded: number;
  unconfirmed: number;
  /** Pending triggers left for another run. */
  remaining: number;
  /** Why the run stopped early, when it did (throttled after every retry, a dropped connection). */
  stoppedBy?: AdminApiErrorKind;
}

/** How the dispatcher reaches Shopify: the shop's Admin client, or NoShopifyStoreError for the demo's shop. */
export type ClientSource = () => Promise<AdminClient>;

// Shopify answered without running the request: the batch can go again.
const NOT_RUN: ReadonlySet<AdminApiErrorKind> = new Set(["throttled", "unauthorized", "http", "graphql"]);

const LOCK = `hashtext('cadence.flow'), hashtext($1)`;

/** Pending triggers that may be sent: not of a customer whose redaction is pending. */
const SENDABLE = `t."shopId" = $1 AND t.state = 'pending' AND NOT ${customerRedactionPending(
  `t."shopId"`,
  `t."customerShopifyId"`,
)}`;

interface Settlement {
  id: string;
  state: "sent" | "refused" | "recorded" | "unconfirmed";
  error: string | null;
}

async function settleOrphans(sql: SqlExecutor, shopId: string): Promise<DispatchResult["orphans"]> {
  const { rows } = await sql.query<{ state: string }>(
    `UPDATE "FlowTrigger"
        SET state = CASE WHEN payload IS NULL THEN 'pending' ELSE 'unconfirmed' END,
            "claimToken" = CASE WHEN payload IS NULL THEN NULL ELSE "claimToken" END,
            error = CASE WHEN payload IS NULL THEN NULL ELSE 'Cadence stopped while sending it: Flow may or may not have received it.' END,
            "settledAt" = CASE WHEN payload IS NULL THEN NULL ELSE now() END
      WHERE "shopId" = $1 AND state = 'sending'
      RETURNING state`,
    [shopId],
  );
  return {
    requeued: rows.filter((row) => row.state === "pending").length,
    unconfirmed: rows.filter((row) => row.state === "unconfirmed").length,
  };
}

async function fullPassRunning(sql: SqlExecutor, shopId: string): Promise<boolean> {
  const { rows } = await sql.query<{ running: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "RecomputeLease" WHERE "shopId" = $1 AND "expiresAt" > now()) AS running`,
    [shopId],
  );
  return rows[0]?.running === true;
}

async function claim(sql: SqlExecutor, shopId: string, token: string, size: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE "FlowTrigger" SET state = 'sending', "claimToken" = $2
      WHERE id IN (SELECT t.id FROM "FlowTrigger" t WHERE ${SENDABLE} ORDER BY t.id LIMIT $3 FOR UPDATE OF t SKIP LOCKED)
      RETURNING id::text AS id`,
    [shopId, token, size],
  );
  return rows.map((row) => row.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

/** Undoes a claim whose batch was certainly not sent. */
async function unclaim(sql: SqlExecutor, shopId: string, token: string): Promise<void> {
  await sql.query(
    `UPDATE "FlowTrigger" SET state = 'pending', "claimToken" = NULL, payload = NULL WHERE "shopId" = $1 AND "claimToken" = $2 AND state = 'sending'`,
    [shopId, token],
  );
}

/** From here on the batch may reach Flow: a dispatcher that dies now leaves it unconfirmed, not pending. */
async function storePayloads(
  sql: SqlExecutor,
  shopId: string,
  token: string,
  batch: ReadonlyArray<{ id: string; payload: FlowPayload }>,
): Promise<void> {
  await sql.query(
    `UPDATE "FlowTrigger" t SET payload = r.payload
       FROM ROWS FROM (unnest($3::bigint[]), jsonb_array_elements($4::jsonb)) AS r(id, payload)
      WHERE t."shopId" = $1 AND t."claimToken" = $2 AND t.id = r.id`,
    [shopId, token, batch.map((item) => item.id), JSON.stringify(batch.map((item) => item.payload))],
  );
}

async function settle(
  sql: SqlExecutor,
  shopId: string,
  token: string,
  settlements: readonly Settlement[],
): Promise<void> {
  await sql.query(
    `UPDATE "FlowTrigger" t SET state = r.state, error = r.error, "settledAt" = now()
       FROM unnest($3::bigint[], $4::text[], $5::text[]) AS r(id, state, error)
      WHERE t."shopId" = $1 AND t."claimToken" = $2 AND t.id = r.id`,
    [shopId, token, settlements.map((s) => s.id), settlements.map((s) => s.state), settlements.map((s) => s.error)],
  );
}

const userErrorText = (errors: ReadonlyArray<{ message: string; field?: ReadonlyArray<string> | null }>) =>
  errors.map((error) => `${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message}`).join("; ");

async function pendingCount(sql: SqlExecutor, shopId: string): Promise<number> {
  const { rows } = await sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "FlowTrigger" t WHERE ${SENDABLE}`,
    [shopId],
  );
  return rows[0]?.count ?? 0;
}

export async function dispatchFlowTriggers(
  database: Pick<Database, "withConnection">,
  shopId: string,
  clientFor: ClientSource,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const maxTriggers = options.maxTriggers ?? DEFAULT_MAX_TRIGGERS_PER_RUN;
  const batchSize = Math.min(options.batchSize ?? FLOW_TRIGGERS_PER_REQUEST, FLOW_TRIGGERS_PER_REQUEST);
  return database.withConnection(async (sql) => {
    const result: DispatchResult = {
      status: "done",
      orphans: { requeued: 0, unconfirmed: 0 },
      evaluation: null,
      sent: 0,
      refused: 0,
      recorded: 0,
      unconfirmed: 0,
      remaining: 0,
    };
    const locked = await sql.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK}) AS locked`, [shopId]);
    if (!locked.rows[0]?.locked) return { ...result, status: "busy" };
    try {
      result.orphans = await settleOrphans(sql, shopId);
      if (!(await fullPassRunning(sql, shopId)))
        result.evaluation = await transactionOn(sql, (tx) => evaluateNewTriggers(tx, shopId));

      let client: AdminClient | null | undefined;
      let context: PayloadContext | undefined;
      for (let processed = 0; processed < maxTriggers;) {
        const token = randomUUID();
        const ids = await claim(sql, shopId, token, Math.min(batchSize, maxTriggers - processed));
        if (ids.length === 0) break;
        let batch: Array<{ id: string; kind: TriggerKind; payload: FlowPayload }>;
        try {
          context ??= await loadPayloadContext(sql, shopId);
          const payloadContext = context;
          batch = (await loadSources(sql, shopId, ids)).map((row) => ({
            id: row.id,
            kind: row.kind,
            payload: buildPayload(row.source, payloadContext),
          }));
          if (client === undefined) {
            client = await clientFor().catch((error: unknown) => {
              if (error instanceof NoShopifyStoreError) return null;
              throw error;
            });
          }
        } catch (error) {
          await unclaim(sql, shopId, token);
          throw error;
        }
        processed += ids.length;
        await storePayloads(sql, shopId, token, batch);
        if (client === null) {
          await settle(
            sql,
            shopId,
            token,
            batch.map((item) => ({ id: item.id, state: "recorded", error: null })),
          );
          result.recorded += batch.length;
          continue;
        }
        try {
          const data = await client.request(
            flowTriggersOperation(batch.length),
            flowTriggersVariables(batch.map((item) => ({ handle: TRIGGERS[item.kind].handle, payload: item.payload }))),
          );
          const outcomes = flowTriggerResults(data, batch.length);
          const settlements = batch.map((item, index): Settlement => {
            const errors = outcomes[index] ?? [];
            return errors.length
              ? { id: item.id, state: "refused", error: userErrorText(errors) }
              : { id: item.id, state: "sent", error: null };
          });
          await settle(sql, shopId, token, settlements);
          result.sent += settlements.filter((s) => s.state === "sent").length;
          result.refused += settlements.filter((s) => s.state === "refused").length;
        } catch (error) {
          if (isAdminApiError(error) && NOT_RUN.has(error.kind)) {
            await unclaim(sql, shopId, token);
            if (error.kind !== "throttled") throw error;
            result.stoppedBy = error.kind;
            break;
          }
          const reason = error instanceof Error ? error.message : String(error);
          await settle(
            sql,
            shopId,
            token,
            batch.map((item) => ({
              id: item.id,
              state: "unconfirmed",
              error: `Shopify's answer was lost: Flow may or may not have received it (${reason})`,
            })),
          );
          result.unconfirmed += batch.length;
          if (!isAdminApiError(error)) throw error;
          result.stoppedBy = error.kind;
          break;
        }
      }
      result.remaining = await pendingCount(sql, shopId);
      return result;
    } finally {
      await sql.query(`SELECT pg_advisory_unlock(${LOCK})`, [shopId]);
    }
  });
}
