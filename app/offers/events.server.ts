import { createHash } from "node:crypto";
import type { SqlExecutor } from "~/database/sql-executor";
import type { VerifiedEvent } from "./beacon";

// Exposure and click events from the storefront, stored per shop, with the offer and arm the server decided
// (verifyBeacon), marked verified: reports count only verified events. A signed app-proxy URL is unique (its
// signature covers the timestamp and every parameter), so the signature's hash is the event's key: a beacon the
// browser or a proxy retries is stored once.
//
// One SQL statement checks that the offer was published (drafts never were) and inserts the event: this is the
// storefront's hottest path (docs/storefront.md "App proxy"; bench/storefront.ts), so it is one round trip
// instead of Prisma's two.

export type RecordResult = "stored" | "duplicate" | "unknown_offer";

const INSERT_EVENT = `
  WITH offer AS (
    SELECT 1 FROM "Offer" WHERE "shopId" = $1 AND id = $2 AND status <> 'draft'
  ), inserted AS (
    INSERT INTO "OfferEvent" ("shopId", "offerId", type, arm, surface, "customerShopifyId", "requestKey", "occurredAt", verified)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, true FROM offer
    ON CONFLICT ("shopId", "requestKey") DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM offer)::int AS offers, (SELECT count(*) FROM inserted)::int AS inserted`;

export async function recordOfferEvent(
  sql: SqlExecutor,
  shopId: string,
  event: VerifiedEvent & { customerId: string | null; signature: string; at?: Date },
): Promise<RecordResult> {
  const requestKey = createHash("sha256").update(event.signature).digest("hex");
  const { rows } = await sql.query<{ offers: number; inserted: number }>(INSERT_EVENT, [
    shopId,
    event.offerId,
    event.type,
    event.arm,
    event.surface,
    event.customerId,
    requestKey,
    event.at ?? new Date(),
  ]);
  const [row] = rows;
  if (!row?.offers) return "unknown_offer";
  return row.inserted === 1 ? "stored" : "duplicate";
}
