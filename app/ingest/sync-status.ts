import type { SqlExecutor } from "~/database/sql-executor";
import { isoSql as iso, NOW_UTC } from "~/database/sql-conventions";

// What `npm run cadence -- sync status` and the admin's sync page show about one shop: the install backfill, the
// webhooks as they arrive, reconciliation, and the work still queued behind them (profile refreshes, the nightly
// full pass, storefront publishing). Shop-scoped reads of the ledgers ingest keeps anyway; never any customer data.

export interface PrivacyRequestStatus {
  kind: string;
  receivedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  outcome: string | null;
  /** Where the job stands (a table, "orders"), while it runs. */
  step: string | null;
  rowsDeleted: number;
  error: string | null;
}

export interface SyncStatus {
  /** redacting: a shop/redact is being carried out; every row of the shop goes, this status with them. */
  shop: { domain: string; installed: boolean; uninstalledAt: string | null; redacting: boolean };
  backfill: {
    state: string;
    startedAt: string | null;
    finishedAt: string | null;
    error: string | null;
    refundDetails: { done: number; total: number };
    imports: Array<{
      kind: string;
      status: string;
      objectsDone: number;
      objectsTotal: number | null;
      linesDone: number;
      error: string | null;
    }>;
  } | null;
  reconciliation: {
    lastRunAt: string | null;
    ordersTo: string | null;
    customersTo: string | null;
    orders: number;
    customers: number;
    error: string | null;
  } | null;
  webhooks: {
    lastByTopic: Array<{ topic: string; receivedAt: string; outcome: string }>;
    last24hByOutcome: Record<string, number>;
    recentProblems: Array<{ topic: string; outcome: string; detail: string | null; receivedAt: string }>;
  };
  /**
   * Orders stored (every one Shopify sent), and how they split: counted (real, not cancelled: what every figure and
   * segment counts), cancelled, and test orders. counted + cancelled + test = orders.
   */
  facts: { orders: number; countedOrders: number; cancelledOrders: number; testOrders: number; customers: number };
  pending: { profileRefresh: number; publish: number };
  lastFullPass: { asOf: string | null; fittedAt: string | null; customers: number | null } | null;
  /** Privacy requests (app/privacy/): those still being carried out, and the last ten finished. No customer IDs. */
  privacy: { pending: PrivacyRequestStatus[]; finished: PrivacyRequestStatus[] };
  /** Background work that failed on its last run for this shop (the others' goes on), most recent first. */
  failingWork: Array<{
    job: string;
    label: string;
    failingSince: string;
    lastRunAt: string;
    failures: number;
    error: string | null;
    lastSuccessAt: string | null;
  }>;
}

/** What each kind of background work is called on the status; a job not listed is shown by its queue name. */
const WORK_LABELS: Record<string, string> = {
  "profiles-refresh": "Customer profile refresh",
  "full-pass": "Nightly segmentation pass",
  "reconcile-shop": "Reconciliation",
  publish: "Storefront publishing",
  "publish-queued": "Publishing opt-outs",
  "discount-sync": "Offer discount codes",
  "define-metafields": "Storefront data set-up",
  "shop-setup": "Shop set-up",
  "backfill-start": "Order history import",
  "bulk-poll": "Order history import",
  "bulk-import": "Order history import",
  "refund-details": "Refund details import",
};

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
}

export async function syncStatus(sql: SqlExecutor, shopDomain: string): Promise<SyncStatus> {
  // The shop by its domain, or, while a shop/redact is carried out, the row that gave the domain up (a reinstall
  // meanwhile has a row of its own, which comes first).
  const shops = await sql.query<{ id: string; uninstalledAt: string | null; redacting: boolean }>(
    `SELECT id, "uninstalledAt", redacting FROM (
       SELECT id, ${iso('"uninstalledAt"')} AS "uninstalledAt", false AS redacting FROM "Shop" WHERE domain = $1
       UNION ALL
       SELECT s.id, ${iso('s."uninstalledAt"')}, true FROM "PrivacyRequest" r JOIN "Shop" s ON s.id = r."shopId"
        WHERE r."kind" = 'shop-redact' AND r."shopDomain" = $1 AND r."finishedAt" IS NULL) found
     ORDER BY redacting LIMIT 1`,
    [shopDomain],
  );
  const shop = shops.rows[0];
  if (!shop)
    throw new UnknownShopError(
      `No shop "${shopDomain}" in this database. (Once a shop/redact is carried out, nothing of the shop is left.)`,
    );
  const id = [shop.id];

  const state = (
    await sql.query<Record<string, string | number | null>>(
      `SELECT "backfillState", ${iso('"backfillStartedAt"')} AS started, ${iso(
        '"backfillFinishedAt"',
      )} AS finished, "backfillError",
              "refundDetailsDone", "refundDetailsTotal", ${iso('"lastReconcileAt"')} AS "reconciledAt", ${iso(
                '"ordersReconciledTo"',
              )} AS "ordersTo",
              ${iso(
                '"customersReconciledTo"',
              )} AS "customersTo", "lastReconcileOrders", "lastReconcileCustomers", "lastReconcileError"
         FROM "SyncState" WHERE "shopId" = $1`,
      id,
    )
  ).rows[0];
  const imports = await sql.query<{
    kind: string;
    status: string;
    objectsDone: number;
    objectsTotal: number | null;
    linesDone: number;
    error: string | null;
  }>(
    `SELECT kind, status, "objectsDone", "objectsTotal", "linesDone", error FROM "BulkImport" WHERE "shopId" = $1 ORDER BY "startedAt", id`,
    id,
  );
  // DISTINCT ON walks the (shopId, topic, receivedAt) index: one row per topic without reading every delivery.
  const lastByTopic = await sql.query<{ topic: string; receivedAt: string; outcome: string }>(
    `SELECT DISTINCT ON (topic) topic, ${iso('"receivedAt"')} AS "receivedAt", outcome
       FROM "WebhookDelivery" WHERE "shopId" = $1 ORDER BY topic, "receivedAt" DESC`,
    id,
  );
  const byOutcome = await sql.query<{ outcome: string; n: number }>(
    `SELECT outcome, count(*)::int AS n FROM "WebhookDelivery"
      WHERE "shopId" = $1 AND "receivedAt" > ${NOW_UTC} - interval '24 hours' GROUP BY outcome ORDER BY outcome`,
    id,
  );
  const problems = await sql.query<{ topic: string; outcome: string; detail: string | null; receivedAt: string }>(
    `SELECT topic, outcome, detail, ${iso('"receivedAt"')} AS "receivedAt" FROM "WebhookDelivery"
      WHERE "shopId" = $1 AND outcome NOT IN ('applied', 'duplicate') ORDER BY "receivedAt" DESC, id DESC LIMIT 10`,
    id,
  );
  const counts = (
    await sql.query<{
      orders: number;
      test: number;
      cancelled: number;
      customers: number;
      dirty: number;
      publish: number;
    }>(
      `SELECT o.orders, o.test, o.cancelled,
              (SELECT count(*)::int FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL) AS customers,
              (SELECT count(*)::int FROM "Customer" WHERE "shopId" = $1 AND "metricsDirtyAt" IS NOT NULL) AS dirty,
              (SELECT count(*)::int FROM "PublishQueueItem" WHERE "shopId" = $1) AS publish
         FROM (SELECT count(*)::int AS orders, count(*) FILTER (WHERE test)::int AS test,
                      count(*) FILTER (WHERE NOT test AND "cancelledAt" IS NOT NULL)::int AS cancelled
                 FROM "Order" WHERE "shopId" = $1) o`,
      id,
    )
  ).rows[0]!;
  const pass = (
    await sql.query<{ asOf: string | null; fittedAt: string | null; customers: number | null }>(
      `SELECT to_char("asOf", 'YYYY-MM-DD') AS "asOf", ${iso(
        `"fittedAt" AT TIME ZONE 'UTC'`,
      )} AS "fittedAt", customers FROM "ModelState" WHERE "shopId" = $1`,
      id,
    )
  ).rows[0];

  const requests = await sql.query<PrivacyRequestStatus & { rowsDeleted: string }>(
    `(SELECT "kind", ${iso(`"receivedAt" AT TIME ZONE 'UTC'`)} AS "receivedAt", ${iso(
      `"startedAt" AT TIME ZONE 'UTC'`,
    )} AS "startedAt",
             ${iso(
               `"finishedAt" AT TIME ZONE 'UTC'`,
             )} AS "finishedAt", "outcome", "step", "rowsDeleted"::text AS "rowsDeleted", "lastError" AS error
        FROM "PrivacyRequest" WHERE "shopId" = $1 AND "finishedAt" IS NULL ORDER BY "id")
     UNION ALL
     (SELECT "kind", ${iso(`"receivedAt" AT TIME ZONE 'UTC'`)}, ${iso(`"startedAt" AT TIME ZONE 'UTC'`)}, ${iso(
       `"finishedAt" AT TIME ZONE 'UTC'`,
     )},
             "outcome", "step", "rowsDeleted"::text, "lastError"
        FROM "PrivacyRequest" WHERE "shopId" = $1 AND "finishedAt" IS NOT NULL ORDER BY "finishedAt" DESC, "id" DESC LIMIT 10)`,
    id,
  );
  const privacyRows = requests.rows.map((row) => ({ ...row, rowsDeleted: Number(row.rowsDeleted) }));
  const failing = await sql.query<{
    job: string;
    failingSince: string;
    lastRunAt: string;
    failures: number;
    error: string | null;
    lastSuccessAt: string | null;
  }>(
    `SELECT job, ${iso('"failingSince"')} AS "failingSince", ${iso('"lastRunAt"')} AS "lastRunAt", failures, error,
            ${iso('"lastSuccessAt"')} AS "lastSuccessAt"
       FROM "ShopJobStatus" WHERE "shopId" = $1 AND failures > 0 ORDER BY "lastRunAt" DESC, job`,
    id,
  );

  return {
    shop: {
      domain: shopDomain,
      installed: shop.uninstalledAt === null,
      uninstalledAt: shop.uninstalledAt,
      redacting: shop.redacting,
    },
    backfill: state
      ? {
          state: String(state.backfillState),
          startedAt: (state.started as string | null) ?? null,
          finishedAt: (state.finished as string | null) ?? null,
          error: (state.backfillError as string | null) ?? null,
          refundDetails: { done: Number(state.refundDetailsDone), total: Number(state.refundDetailsTotal) },
          imports: imports.rows,
        }
      : null,
    reconciliation: state
      ? {
          lastRunAt: (state.reconciledAt as string | null) ?? null,
          ordersTo: (state.ordersTo as string | null) ?? null,
          customersTo: (state.customersTo as string | null) ?? null,
          orders: Number(state.lastReconcileOrders),
          customers: Number(state.lastReconcileCustomers),
          error: (state.lastReconcileError as string | null) ?? null,
        }
      : null,
    webhooks: {
      lastByTopic: lastByTopic.rows,
      last24hByOutcome: Object.fromEntries(byOutcome.rows.map((row) => [row.outcome, row.n])),
      recentProblems: problems.rows,
    },
    facts: {
      orders: counts.orders,
      countedOrders: counts.orders - counts.cancelled - counts.test,
      cancelledOrders: counts.cancelled,
      testOrders: counts.test,
      customers: counts.customers,
    },
    pending: { profileRefresh: counts.dirty, publish: counts.publish },
    lastFullPass: pass ?? null,
    privacy: {
      pending: privacyRows.filter((row) => row.finishedAt === null),
      finished: privacyRows.filter((row) => row.finishedAt !== null),
    },
    failingWork: failing.rows.map((row) => ({ ...row, label: WORK_LABELS[row.job] ?? row.job })),
  };
}

const REQUEST_NAMES: Record<string, string> = {
  "customer-redact": "Customer redaction",
  "data-request": "Customer data request",
  "shop-redact": "Shop redaction (every row of the shop)",
};

/** A privacy request in one line of plain words, for the terminal and the admin's sync page. */
export function describePrivacyRequest(
  request: PrivacyRequestStatus,
  when: (iso: string) => string = (iso) => iso,
): string {
  const name = REQUEST_NAMES[request.kind] ?? request.kind;
  const deleted = request.rowsDeleted > 0 ? `, ${request.rowsDeleted.toLocaleString("en")} rows deleted` : "";
  if (request.finishedAt) {
    const how = request.outcome === "superseded" ? ", not needed: the customer's redaction came first" : "";
    return `${name}: received ${when(request.receivedAt)}, finished ${when(request.finishedAt)}${deleted}${how}.`;
  }
  const progress = request.startedAt
    ? `in progress since ${when(request.startedAt)}${deleted}${request.step ? ` (now: ${request.step})` : ""}`
    : "waiting to start";
  return `${name}: received ${when(request.receivedAt)}, ${progress}${
    request.error ? `; last attempt failed: ${request.error} (retried)` : ""
  }.`;
}

/** The status as lines of text for a terminal. */
export function formatSyncStatus(status: SyncStatus): string {
  const state = status.shop.installed ? "installed" : `uninstalled at ${status.shop.uninstalledAt}`;
  const lines = [
    `${status.shop.domain}: ${state}${status.shop.redacting ? "; its data is being deleted (shop/redact)" : ""}`,
  ];
  const facts = status.facts;
  lines.push(
    `Facts: ${facts.orders} orders, ${facts.customers} customers (${facts.countedOrders} orders counted; not counted: ${facts.cancelledOrders} cancelled, ${facts.testOrders} test).`,
  );
  const backfill = status.backfill;
  if (!backfill) lines.push("Backfill: not started.");
  else {
    lines.push(
      `Backfill: ${backfill.state}${
        backfill.startedAt
          ? ` (started ${backfill.startedAt}${backfill.finishedAt ? `, finished ${backfill.finishedAt}` : ""})`
          : ""
      }${backfill.error ? `: ${backfill.error}` : ""}`,
    );
    for (const run of backfill.imports) {
      const total = run.objectsTotal === null ? "?" : String(run.objectsTotal);
      lines.push(
        `  ${run.kind}: ${run.status}, ${run.objectsDone}/${total} objects, ${run.linesDone} lines${
          run.error ? ` (${run.error})` : ""
        }`,
      );
    }
    if (backfill.refundDetails.total > 0)
      lines.push(`  refund details: ${backfill.refundDetails.done}/${backfill.refundDetails.total} orders`);
  }
  const reconcile = status.reconciliation;
  lines.push(
    reconcile?.lastRunAt
      ? `Reconciliation: last run ${reconcile.lastRunAt}, ${reconcile.orders} orders and ${
          reconcile.customers
        } customers applied; orders up to ${reconcile.ordersTo ?? "-"}${
          reconcile.error ? `; error: ${reconcile.error}` : ""
        }`
      : "Reconciliation: not run yet (starts after the backfill).",
  );
  const outcomes = Object.entries(status.webhooks.last24hByOutcome).map(([outcome, n]) => `${n} ${outcome}`);
  lines.push(`Webhooks in the last 24 h: ${outcomes.length ? outcomes.join(", ") : "none"}.`);
  for (const row of status.webhooks.lastByTopic)
    lines.push(`  ${row.topic.padEnd(28)} last ${row.receivedAt} (${row.outcome})`);
  if (status.webhooks.recentProblems.length) {
    lines.push("Recent deliveries not applied:");
    for (const row of status.webhooks.recentProblems)
      lines.push(`  ${row.receivedAt} ${row.topic} ${row.outcome}${row.detail ? `: ${row.detail}` : ""}`);
  }
  lines.push(
    `Waiting: ${status.pending.profileRefresh} customer profile refresh(es), ${status.pending.publish} shopper(s) to publish.`,
  );
  const requests = [...status.privacy.pending, ...status.privacy.finished];
  lines.push(
    requests.length ? `Privacy requests: ${status.privacy.pending.length} pending.` : "Privacy requests: none.",
  );
  for (const request of requests) lines.push(`  ${describePrivacyRequest(request)}`);
  if (status.failingWork.length) {
    lines.push("Background work failing for this shop (other shops are not held up; it is retried):");
    for (const work of status.failingWork) {
      lines.push(
        `  ${work.label} (${work.job}): failing since ${work.failingSince}, ${work.failures} run(s) in a row, last at ${
          work.lastRunAt
        }: ${work.error ?? "no message"}`,
      );
    }
  } else {
    lines.push("Background work: no failures.");
  }
  lines.push(
    status.lastFullPass?.fittedAt
      ? `Last full pass: ${status.lastFullPass.fittedAt} (as of ${status.lastFullPass.asOf}, ${status.lastFullPass.customers} customers).`
      : "Last full pass: none yet.",
  );
  return lines.join("\n");
}

/** The JSON a customers/data_request produced (app/privacy/data-request.ts), or null when there is none. */
export async function storedDataRequest(sql: SqlExecutor, shopDomain: string, requestId: string): Promise<unknown> {
  const { rows } = await sql.query<{ data: unknown; known: boolean }>(
    `SELECT s.id IS NOT NULL AS known, d.data FROM (SELECT $1::text AS domain) q
       LEFT JOIN "Shop" s ON s.domain = q.domain
       LEFT JOIN "DataRequestExport" d ON d."shopId" = s.id AND d."requestId" = $2`,
    [shopDomain, requestId],
  );
  if (!rows[0]?.known) throw new UnknownShopError(`No shop "${shopDomain}" in this database.`);
  return rows[0].data ?? null;
}
