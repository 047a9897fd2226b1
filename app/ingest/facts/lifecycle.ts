import { isoSql, NOW_UTC } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

/**
 * When the shop's latest install was authenticated, and its uninstall if it has not been reinstalled since. The row is
 * locked until the delivery's transaction ends, so an install at the same moment waits for it (or it for the install).
 */
export async function installState(
  tx: SqlExecutor,
  shopId: string,
): Promise<{ installedAt: Date; uninstalledAt: Date | null }> {
  const { rows } = await tx.query<{ installedAt: string; uninstalledAt: string | null }>(
    `SELECT ${isoSql('"installedAt"')} AS "installedAt", ${isoSql(
      '"uninstalledAt"',
    )} AS "uninstalledAt" FROM "Shop" WHERE "id" = $1 FOR UPDATE`,
    [shopId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no shop with id ${shopId}`);
  return {
    installedAt: new Date(row.installedAt),
    uninstalledAt: row.uninstalledAt ? new Date(row.uninstalledAt) : null,
  };
}

/**
 * app/uninstalled: the token is already revoked. Sessions go now (a reinstall then runs afterAuth again), and the
 * shop's sync stops: background jobs check the shop's state before each step and end when it is uninstalled.
 */
export async function uninstallShop(tx: SqlExecutor, shopId: string, shopDomain: string): Promise<void> {
  await tx.query(`DELETE FROM "Session" WHERE "shop" = $1`, [shopDomain]);
  await tx.query(`UPDATE "Shop" SET "uninstalledAt" = ${NOW_UTC}, "updatedAt" = ${NOW_UTC} WHERE "id" = $1`, [shopId]);
  await tx.query(
    `UPDATE "SyncState" SET "backfillState" = 'stopped', "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1 AND "backfillState" NOT IN ('completed', 'failed')`,
    [shopId],
  );
  await tx.query(
    `UPDATE "BulkImport" SET "status" = 'stopped', "updatedAt" = ${NOW_UTC}
     WHERE "shopId" = $1 AND "status" NOT IN ('imported', 'failed')`,
    [shopId],
  );
}

/** app/scopes_update: keeps the stored sessions' scopes true, so the library re-authorises when they shrink. */
export async function updateSessionScopes(tx: SqlExecutor, shopDomain: string, scopes: string[]): Promise<void> {
  await tx.query(`UPDATE "Session" SET "scope" = $2 WHERE "shop" = $1`, [shopDomain, scopes.join(",")]);
}
