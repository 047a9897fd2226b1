import { randomUUID } from "node:crypto";
import type { SqlExecutor } from "~/database/sql-executor";

// One full pass per shop at a time, across app instances and within one process. A lease row (not a session
// advisory lock) because a pass spans many transactions and connections, and a session lock is re-entrant within
// the session that holds it. A crashed pass stops renewing; its lease expires and the next pass runs.

export const LEASE_SECONDS = 300;

export interface Lease {
  shopId: string;
  holder: string;
}

export async function acquireLease(
  sql: SqlExecutor,
  shopId: string,
  holder = randomUUID(),
  seconds = LEASE_SECONDS,
): Promise<Lease | null> {
  const { rows } = await sql.query<{ holder: string }>(
    `INSERT INTO "RecomputeLease" ("shopId", holder, "startedAt", "expiresAt")
     VALUES ($1, $2, now(), now() + make_interval(secs => $3::int))
     ON CONFLICT ("shopId") DO UPDATE SET holder = EXCLUDED.holder, "startedAt" = EXCLUDED."startedAt", "expiresAt" = EXCLUDED."expiresAt"
       WHERE "RecomputeLease"."expiresAt" < now()
     RETURNING holder`,
    [shopId, holder, seconds],
  );
  return rows[0]?.holder === holder ? { shopId, holder } : null;
}

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/** Extends the lease; throws LeaseLostError when another pass took it over (this one stalled past expiry). */
export async function renewLease(sql: SqlExecutor, lease: Lease, seconds = LEASE_SECONDS): Promise<void> {
  const { rows: updated } = await sql.query(
    `UPDATE "RecomputeLease" SET "expiresAt" = now() + make_interval(secs => $3::int) WHERE "shopId" = $1 AND holder = $2 RETURNING holder`,
    [lease.shopId, lease.holder, seconds],
  );
  if (updated.length === 0) throw new LeaseLostError(`the recompute lease of shop ${lease.shopId} was taken over`);
}

export async function releaseLease(sql: SqlExecutor, lease: Lease): Promise<void> {
  await sql.query(`DELETE FROM "RecomputeLease" WHERE "shopId" = $1 AND holder = $2 RETURNING holder`, [
    lease.shopId,
    lease.holder,
  ]);
}
