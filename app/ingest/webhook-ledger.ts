import { isNetRevenueBasis } from "./facts/net-revenue";
import type { SqlExecutor } from "~/database/sql-conventions";
import type { DeliveryClaimInput, ShopContext } from "./topics/types";

// The idempotency ledger: one WebhookDelivery row per delivery, unique per shop and X-Shopify-Webhook-Id, written in
// the same transaction as the delivery's effect. The claim is one call: it finds the shop, inserts the row (a
// concurrent duplicate waits on the unique key, then finds it taken), checks whether another delivery of the same
// event (X-Shopify-Event-Id) is already recorded, and takes the resource's lock. The row is written with outcome
// "applied"; a handler reporting anything else corrects it before the commit.

export interface DeliveryClaim {
  /** null: no such shop (never installed, or redacted). */
  shop: ShopContext | null;
  uninstalled: boolean;
  /** null when this delivery was already recorded (a duplicate) or the shop may not receive this topic. */
  deliveryId: string | null;
  /** Another delivery of the same event and topic is already in the ledger. */
  sameEvent: boolean;
}

export interface ClaimInput extends DeliveryClaimInput {
  /** Whether the topic is honoured for an uninstalled shop. */
  afterUninstall: boolean;
  lockKey: string | null;
}

interface ClaimRow {
  shop_id: string;
  shop_domain: string;
  currency_code: string;
  net_revenue_basis: string;
  uninstalled: boolean;
  delivery_id: string | null;
  same_event: boolean;
}

/** cadence_claim_delivery (prisma/functions/cadence_claim_delivery.sql) in one call. */
export async function claimDelivery(tx: SqlExecutor, input: ClaimInput): Promise<DeliveryClaim> {
  const { rows } = await tx.query<ClaimRow>(
    `SELECT * FROM cadence_claim_delivery($1, $2, $3, $4, $5::timestamp(3), $6, $7)`,
    [
      input.shopDomain,
      input.webhookId,
      input.eventId ?? null,
      input.topic,
      input.triggeredAt?.toISOString() ?? null,
      input.afterUninstall,
      input.lockKey,
    ],
  );
  const row = rows[0];
  if (!row) return { shop: null, uninstalled: false, deliveryId: null, sameEvent: false };
  return {
    shop: {
      id: row.shop_id,
      domain: row.shop_domain,
      currencyCode: row.currency_code,
      netRevenueBasis: isNetRevenueBasis(row.net_revenue_basis) ? row.net_revenue_basis : "merchandise",
    },
    uninstalled: row.uninstalled,
    deliveryId: row.delivery_id,
    sameEvent: row.same_event,
  };
}

export async function recordOutcome(
  tx: SqlExecutor,
  deliveryId: string,
  outcome: string,
  detail: string | null,
): Promise<void> {
  await tx.query(`UPDATE "WebhookDelivery" SET "outcome" = $2, "detail" = $3 WHERE "id" = $1::bigint`, [
    deliveryId,
    outcome,
    detail,
  ]);
}
