-- CreateTable
CREATE TABLE "FlowState" (
    "shopId" TEXT NOT NULL,
    "liveSince" TIMESTAMPTZ(3),
    "holdAbove" INTEGER NOT NULL DEFAULT 500,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowState_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "FlowTrigger" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tierChangeId" BIGINT,
    "segmentTransitionId" BIGINT,
    "valueAtRiskMinor" BIGINT,
    "state" TEXT NOT NULL,
    "holdId" BIGINT,
    "claimToken" TEXT,
    "payload" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMPTZ(3),

    CONSTRAINT "FlowTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowHold" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "groupKey" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "customers" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "FlowHold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowActionRun" (
    "shopId" TEXT NOT NULL,
    "actionRunId" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowActionRun_pkey" PRIMARY KEY ("shopId","actionRunId")
);

-- CreateIndex
CREATE INDEX "FlowTrigger_shopId_state_id_idx" ON "FlowTrigger"("shopId", "state", "id");

-- CreateIndex
CREATE INDEX "FlowTrigger_shopId_createdAt_idx" ON "FlowTrigger"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "FlowTrigger_holdId_idx" ON "FlowTrigger"("holdId");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTrigger_tierChangeId_kind_key" ON "FlowTrigger"("tierChangeId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "FlowTrigger_segmentTransitionId_kind_key" ON "FlowTrigger"("segmentTransitionId", "kind");

-- CreateIndex
CREATE INDEX "FlowHold_shopId_state_idx" ON "FlowHold"("shopId", "state");

-- AddForeignKey
ALTER TABLE "FlowState" ADD CONSTRAINT "FlowState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTrigger" ADD CONSTRAINT "FlowTrigger_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTrigger" ADD CONSTRAINT "FlowTrigger_tierChangeId_fkey" FOREIGN KEY ("tierChangeId") REFERENCES "TierChange"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTrigger" ADD CONSTRAINT "FlowTrigger_segmentTransitionId_fkey" FOREIGN KEY ("segmentTransitionId") REFERENCES "SegmentTransition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTrigger" ADD CONSTRAINT "FlowTrigger_holdId_fkey" FOREIGN KEY ("holdId") REFERENCES "FlowHold"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowHold" ADD CONSTRAINT "FlowHold_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowActionRun" ADD CONSTRAINT "FlowActionRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ── The Flow trigger outbox's one way in (docs/flow.md, docs/decisions/0307-flow-trigger-outbox.md) ──────────────
-- Whatever writes a tier change or a segment transition (the full pass, the incremental refresh, staff and Flow
-- overrides, departed customers), its Flow triggers are recorded by these database triggers in the same transaction,
-- so a rolled-back write records none and a committed one exactly one per trigger kind. Statement-level with a
-- transition table: one extra statement per write statement, not one per row. Before a shop's first full pass has
-- finished (FlowState.liveSince unset) nothing is recorded: the tiers and segments customers start with are not
-- events. To change one, add a migration with CREATE OR REPLACE FUNCTION; never edit this file.

-- The first finished full pass (ModelState.passMillis is written last, by runFullPass) starts a shop's triggers.
CREATE OR REPLACE FUNCTION cadence_flow_baseline() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FlowState" ("shopId", "liveSince") VALUES (NEW."shopId", now())
  ON CONFLICT ("shopId") DO UPDATE SET "liveSince" = now(), "updatedAt" = now() WHERE "FlowState"."liveSince" IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER cadence_flow_baseline AFTER INSERT OR UPDATE OF "passMillis" ON "ModelState"
  FOR EACH ROW WHEN (NEW."passMillis" IS NOT NULL) EXECUTE FUNCTION cadence_flow_baseline();

-- Shops that had finished a pass before this migration send from now on.
INSERT INTO "FlowState" ("shopId", "liveSince") SELECT "shopId", now() FROM "ModelState" WHERE "passMillis" IS NOT NULL
ON CONFLICT ("shopId") DO NOTHING;

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

CREATE TRIGGER cadence_flow_tier_changes AFTER INSERT ON "TierChange"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION cadence_flow_tier_changes();

-- Segment transitions: entered or left, and entering At risk is also "became at risk", with the 12-month value the
-- profile written earlier in the same transaction holds. Shoppers who turned personalised offers off are not sent
-- to the merchant's segment workflows.
CREATE OR REPLACE FUNCTION cadence_flow_segment_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "FlowState" f WHERE f."shopId" = (SELECT "shopId" FROM inserted LIMIT 1) AND f."liveSince" IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "FlowTrigger" ("shopId", "customerShopifyId", kind, "segmentTransitionId", "valueAtRiskMinor", state)
  SELECT s."shopId", s."customerShopifyId", k.kind, s.id, CASE WHEN k.kind = 'became-at-risk' THEN p."clv12mMinor" END, 'new'
    FROM inserted s
    JOIN "Customer" c ON c."shopId" = s."shopId" AND c."shopifyId" = s."customerShopifyId" AND c."deletedAt" IS NULL AND NOT c."optedOut"
    CROSS JOIN LATERAL (VALUES (CASE s.kind WHEN 'entered' THEN 'segment-entered' ELSE 'segment-left' END),
                               (CASE WHEN s.kind = 'entered' AND s."segmentKey" = 'at_risk' THEN 'became-at-risk' END)) AS k(kind)
    LEFT JOIN "CustomerProfile" p ON k.kind = 'became-at-risk' AND p."shopId" = s."shopId" AND p."customerShopifyId" = s."customerShopifyId"
   WHERE k.kind IS NOT NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER cadence_flow_segment_transitions AFTER INSERT ON "SegmentTransition"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION cadence_flow_segment_transitions();
