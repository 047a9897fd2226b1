-- AlterTable
ALTER TABLE "DataRequestExport" ADD COLUMN     "handedOverAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "PrivacyRequest" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "orderShopifyIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "dataRequestId" TEXT,
    "shopDomain" TEXT,
    "triggeredAt" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "step" TEXT,
    "rowsDeleted" BIGINT NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),

    CONSTRAINT "PrivacyRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PrivacyRequest_shopId_customerShopifyId_idx" ON "PrivacyRequest"("shopId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "PrivacyRequest_finishedAt_idx" ON "PrivacyRequest"("finishedAt");

-- AddForeignKey
ALTER TABLE "PrivacyRequest" ADD CONSTRAINT "PrivacyRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
