import type { NormalizedOrder } from "../normalized";
import type { DeliveryClaimInput, OneStatementResult } from "../topics/types";
import { compareIds } from "../shopify-ids";
import { jsonParam } from "~/database/sql-conventions";
import type { SqlExecutor } from "~/database/sql-conventions";

// Group commit for orders/* deliveries, the busiest topics. A delivery goes to PostgreSQL at once when a connection
// slot is free, so a quiet shop's webhook waits for nothing; while slots are busy, deliveries queue, and the next
// free slot takes them all (up to BATCH_SIZE) as one call to cadence_ingest_orders: one round trip, one transaction,
// one commit for the lot instead of one each. That is what keeps a burst from outrunning the database (bench/ingest).
// Every delivery is answered only after its batch has committed, and a delivery PostgreSQL refuses fails alone
// (its SQLSTATE comes back, see handle-webhook.ts), so each keeps the exactly-once and 400/retry behaviour of one
// statement of its own.

/** At most 64 subtransactions per transaction keep PostgreSQL's snapshots cheap (see the function's comment). */
export const BATCH_SIZE = 50;
/** Batches in flight per database: two keep a connection busy while the other commits. */
export const CONCURRENT_BATCHES = 2;

/** A delivery PostgreSQL refused, with its SQLSTATE (`code`, as node-postgres errors carry it). */
export class DeliveryStatementError extends Error {
  override name = "DeliveryStatementError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  claim: DeliveryClaimInput;
  order: NormalizedOrder;
  resolve(result: OneStatementResult): void;
  reject(error: unknown): void;
}

interface IngestOrdersRow {
  shop_found: boolean | null;
  shop_uninstalled: boolean | null;
  delivery_id: string | null;
  same_event: boolean | null;
  result: "applied" | "stale" | "ignored" | null;
  result_detail: string | null;
  changed_customers: string[];
  error_code: string | null;
  error_message: string | null;
}

export interface OrderDeliveryFields {
  order: unknown;
  lines: unknown;
  refunds: unknown;
}

export class OrderDeliveryBatcher {
  private readonly queue: Pending[] = [];
  private running = 0;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly fields: (order: NormalizedOrder) => OrderDeliveryFields,
    private readonly limits = { batchSize: BATCH_SIZE, concurrent: CONCURRENT_BATCHES },
  ) {}

  ingest(claim: DeliveryClaimInput, order: NormalizedOrder): Promise<OneStatementResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ claim, order, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.limits.concurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.limits.batchSize);
      this.running += 1;
      void this.run(batch).finally(() => {
        this.running -= 1;
        this.startBatches();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    // Order-ID order (stable, so deliveries of one order keep their arrival order): concurrent batches then take
    // the orders' locks in one order.
    const sorted = [...batch].sort((a, b) => compareIds(a.order.shopifyId, b.order.shopifyId));
    let rows: IngestOrdersRow[];
    try {
      ({ rows } = await this.sql.query<IngestOrdersRow>(`SELECT * FROM cadence_ingest_orders($1::jsonb)`, [
        jsonParam(sorted.map((item) => this.delivery(item))),
      ]));
      if (rows.length !== sorted.length)
        throw new Error(`cadence_ingest_orders answered ${rows.length} rows for ${sorted.length} deliveries`);
    } catch (error) {
      for (const item of sorted) item.reject(error);
      return;
    }
    sorted.forEach((item, index) => {
      const row = rows[index] as IngestOrdersRow;
      if (row.error_code) item.reject(new DeliveryStatementError(row.error_code, row.error_message ?? row.error_code));
      else item.resolve(resultOf(row));
    });
  }

  private delivery({ claim, order }: Pending) {
    return {
      shopDomain: claim.shopDomain,
      webhookId: claim.webhookId,
      eventId: claim.eventId ?? null,
      topic: claim.topic,
      triggeredAt: claim.triggeredAt?.toISOString() ?? null,
      orderId: order.shopifyId,
      ...this.fields(order),
    };
  }
}

function resultOf(row: IngestOrdersRow): OneStatementResult {
  return {
    shopFound: row.shop_found === true,
    uninstalled: row.shop_uninstalled === true,
    deliveryId: row.delivery_id,
    sameEvent: row.same_event === true,
    outcome: {
      outcome: row.result ?? "applied",
      ...(row.result_detail ? { detail: row.result_detail } : {}),
      customers: row.changed_customers,
    },
  };
}
