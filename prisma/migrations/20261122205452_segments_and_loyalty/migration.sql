-- CreateTable
CREATE TABLE "CustomerProfile" (
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "orders" INTEGER NOT NULL,
    "ordersPlaced" INTEGER NOT NULL,
    "netSpendMinor" BIGINT NOT NULL,
    "averageOrderValueMinor" BIGINT,
    "firstOrderOn" DATE,
    "lastOrderOn" DATE,
    "daysSinceFirstOrder" INTEGER,
    "daysSinceLastOrder" INTEGER,
    "purchaseDays" INTEGER NOT NULL,
    "meanIntervalDays" DOUBLE PRECISION,
    "medianIntervalDays" DOUBLE PRECISION,
    "lastIntervalDays" INTEGER,
    "netSpend365Minor" BIGINT NOT NULL,
    "orders365" INTEGER NOT NULL,
    "refundedMinor" BIGINT NOT NULL,
    "refundCancelShare" DOUBLE PRECISION,
    "lastRefundOrCancelOn" DATE,
    "lastOrderRefunded" BOOLEAN NOT NULL,
    "discountMinor" BIGINT NOT NULL,
    "discountedOrderShare" DOUBLE PRECISION,
    "topProductTypes" TEXT[],
    "purchaseMonths" INTEGER[],
    "purchaseYears" INTEGER NOT NULL,
    "peakSeasonStartMonth" INTEGER,
    "peakSeasonShare" DOUBLE PRECISION,
    "peakSeasonYears" INTEGER NOT NULL,
    "x" INTEGER,
    "tX" INTEGER,
    "T" INTEGER,
    "tierId" TEXT,
    "tierName" TEXT,
    "rfmR" INTEGER,
    "rfmF" INTEGER,
    "rfmM" INTEGER,
    "rfmGroup" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "expectedGapDays" DOUBLE PRECISION,
    "pAlive" DOUBLE PRECISION,
    "expectedOrders90" DOUBLE PRECISION,
    "expectedOrders365" DOUBLE PRECISION,
    "expectedNextOrderOn" DATE,
    "expectedOrderValueMinor" BIGINT,
    "clv12mMinor" BIGINT,
    "confidence" TEXT,
    "segments" TEXT[],
    "explanations" JSONB NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerProfile_pkey" PRIMARY KEY ("shopId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "ModelState" (
    "shopId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "fittedAt" TIMESTAMPTZ(3) NOT NULL,
    "customers" INTEGER NOT NULL,
    "buyers" INTEGER NOT NULL,
    "repeatBuyers" INTEGER NOT NULL,
    "typicalGapDays" DOUBLE PRECISION NOT NULL,
    "fallback" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "passMillis" INTEGER,

    CONSTRAINT "ModelState_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "effectiveOn" DATE NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltyProgram_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "LoyaltyProgramRevision" (
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "effectiveOn" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyProgramRevision_pkey" PRIMARY KEY ("shopId","version")
);

-- CreateTable
CREATE TABLE "LoyaltyStatus" (
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "programVersion" INTEGER NOT NULL,
    "tierId" TEXT,
    "since" DATE,
    "graceFrom" DATE,
    "evaluatedOn" DATE NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoyaltyStatus_pkey" PRIMARY KEY ("shopId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "on" DATE NOT NULL,
    "fromTierId" TEXT,
    "fromTierName" TEXT,
    "toTierId" TEXT,
    "toTierName" TEXT,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierOverride" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "setBy" TEXT,
    "until" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TierOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentDefinition" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rule" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "archivedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SegmentDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "enteredAt" TIMESTAMPTZ(3) NOT NULL,
    "exitedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentTransition" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "explanation" TEXT,

    CONSTRAINT "SegmentTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentSettings" (
    "shopId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SegmentSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "RecomputeLease" (
    "shopId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RecomputeLease_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "TierChange_shopId_customerShopifyId_on_idx" ON "TierChange"("shopId", "customerShopifyId", "on");

-- CreateIndex
CREATE INDEX "TierChange_shopId_createdAt_idx" ON "TierChange"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "TierOverride_shopId_customerShopifyId_idx" ON "TierOverride"("shopId", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "SegmentDefinition_shopId_key_key" ON "SegmentDefinition"("shopId", "key");

-- CreateIndex
CREATE INDEX "SegmentMembership_shopId_customerShopifyId_idx" ON "SegmentMembership"("shopId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "SegmentMembership_shopId_segmentKey_exitedAt_idx" ON "SegmentMembership"("shopId", "segmentKey", "exitedAt");

-- CreateIndex
CREATE INDEX "SegmentTransition_shopId_at_idx" ON "SegmentTransition"("shopId", "at");

-- CreateIndex
CREATE INDEX "SegmentTransition_shopId_customerShopifyId_idx" ON "SegmentTransition"("shopId", "customerShopifyId");

-- AddForeignKey
ALTER TABLE "CustomerProfile" ADD CONSTRAINT "CustomerProfile_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelState" ADD CONSTRAINT "ModelState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyProgram" ADD CONSTRAINT "LoyaltyProgram_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyProgramRevision" ADD CONSTRAINT "LoyaltyProgramRevision_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyStatus" ADD CONSTRAINT "LoyaltyStatus_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierOverride" ADD CONSTRAINT "TierOverride_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentDefinition" ADD CONSTRAINT "SegmentDefinition_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembership" ADD CONSTRAINT "SegmentMembership_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentTransition" ADD CONSTRAINT "SegmentTransition_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentSettings" ADD CONSTRAINT "SegmentSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecomputeLease" ADD CONSTRAINT "RecomputeLease_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
