-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "metricsDirtyAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "backfillOperation" TEXT;

-- CreateTable
CREATE TABLE "DeletedOrder" (
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeletedOrder_pkey" PRIMARY KEY ("shopId","shopifyId")
);

-- CreateTable
CREATE TABLE "SyncState" (
    "shopId" TEXT NOT NULL,
    "backfillState" TEXT NOT NULL DEFAULT 'pending',
    "backfillStartedAt" TIMESTAMP(3),
    "backfillFinishedAt" TIMESTAMP(3),
    "backfillError" TEXT,
    "refundDetailsTotal" INTEGER NOT NULL DEFAULT 0,
    "refundDetailsDone" INTEGER NOT NULL DEFAULT 0,
    "ordersReconciledTo" TIMESTAMP(3),
    "customersReconciledTo" TIMESTAMP(3),
    "lastReconcileAt" TIMESTAMP(3),
    "lastReconcileError" TEXT,
    "lastReconcileOrders" INTEGER NOT NULL DEFAULT 0,
    "lastReconcileCustomers" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "BulkImport" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "objectsTotal" INTEGER,
    "objectsDone" INTEGER NOT NULL DEFAULT 0,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "importedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillPendingLine" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "productType" TEXT,
    "quantity" INTEGER NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    CONSTRAINT "BackfillPendingLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillRefundDetail" (
    "shopId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BackfillRefundDetail_pkey" PRIMARY KEY ("shopId","orderShopifyId")
);

-- CreateIndex
CREATE INDEX "BulkImport_shopId_kind_idx" ON "BulkImport"("shopId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "BulkImport_shopId_operationId_key" ON "BulkImport"("shopId", "operationId");

-- CreateIndex
CREATE INDEX "BackfillPendingLine_shopId_operationId_orderShopifyId_idx" ON "BackfillPendingLine"("shopId", "operationId", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "BackfillPendingLine_shopId_operationId_shopifyId_key" ON "BackfillPendingLine"("shopId", "operationId", "shopifyId");

-- CreateIndex
CREATE INDEX "Customer_shopId_metricsDirtyAt_idx" ON "Customer"("shopId", "metricsDirtyAt");

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeletedOrder" ADD CONSTRAINT "DeletedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkImport" ADD CONSTRAINT "BulkImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackfillPendingLine" ADD CONSTRAINT "BackfillPendingLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackfillRefundDetail" ADD CONSTRAINT "BackfillRefundDetail_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The ingest and backfill functions this migration first defined live in prisma/functions/, one file each, applied by
-- the migrator whenever one changes (docs/decisions/0005-ingest-writes-in-sql-functions.md).
