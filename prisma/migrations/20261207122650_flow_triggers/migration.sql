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
-- Database triggers record Flow triggers in the writer's transaction; they and their functions live in
-- prisma/functions/cadence_flow_*.sql, applied by the migrator after the migrations.

-- Shops that had finished a pass before this migration send from now on.
INSERT INTO "FlowState" ("shopId", "liveSince") SELECT "shopId", now() FROM "ModelState" WHERE "passMillis" IS NOT NULL
ON CONFLICT ("shopId") DO NOTHING;

