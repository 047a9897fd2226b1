-- A Flow trigger recorder. Whatever writes a tier change or a segment transition (the full pass, the incremental
-- refresh, staff and Flow overrides, departed customers), its Flow triggers are recorded by these database triggers in
-- the same transaction, so a rolled-back write records none and a committed one exactly one per trigger kind.
-- Statement-level with a transition table: one extra statement per write statement, not one per row. Before a shop's
-- first full pass has finished (FlowState.liveSince unset) nothing is recorded: the tiers and segments customers start
-- with are not events (docs/decisions/0307-flow-trigger-outbox.md).
-- Tier changes: a move of the tier the customer has. An earned move while a staff or Flow override is active changes
-- nothing the customer or the merchant sees, and is not sent; an override's end is, when the earned tier differs.
CREATE OR REPLACE FUNCTION cadence_flow_tier_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Every writer writes one shop per statement.
  IF NOT EXISTS (SELECT 1 FROM "FlowState" f WHERE f."shopId" = (SELECT "shopId" FROM inserted LIMIT 1) AND f."liveSince" IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "FlowTrigger" ("shopId", "customerShopifyId", kind, "tierChangeId", state)
  SELECT t."shopId", t."customerShopifyId", 'tier-changed', t.id, 'new'
    FROM inserted t
    JOIN "Customer" c ON c."shopId" = t."shopId" AND c."shopifyId" = t."customerShopifyId" AND c."deletedAt" IS NULL
   WHERE CASE
           WHEN t.reason = 'override-set' THEN t."fromTierId" IS DISTINCT FROM t."toTierId"
           WHEN t.reason = 'override-removed' THEN t."fromTierId" IS DISTINCT FROM
             (SELECT s."tierId" FROM "LoyaltyStatus" s WHERE s."shopId" = t."shopId" AND s."customerShopifyId" = t."customerShopifyId")
           ELSE t."fromTierId" IS DISTINCT FROM t."toTierId" AND NOT EXISTS (
             SELECT 1 FROM "TierOverride" o
              WHERE o."shopId" = t."shopId" AND o."customerShopifyId" = t."customerShopifyId" AND o."removedAt" IS NULL
                AND (o."until" IS NULL OR o."until" >= t."on"))
         END;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER cadence_flow_tier_changes AFTER INSERT ON "TierChange"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION cadence_flow_tier_changes();
