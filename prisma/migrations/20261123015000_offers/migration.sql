-- CreateTable
CREATE TABLE "Offer" (
    "shopId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "audience" JSONB NOT NULL,
    "content" JSONB NOT NULL,
    "discount" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "startsAt" TIMESTAMPTZ(3),
    "endsAt" TIMESTAMPTZ(3),
    "holdoutPercent" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "OfferAssignment" (
    "shopId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfferAssignment_pkey" PRIMARY KEY ("shopId","offerId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "OfferEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "requestKey" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfferEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopperOptOut" (
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "optedOut" BOOLEAN NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopperOptOut_pkey" PRIMARY KEY ("shopId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "PublishedMetafields" (
    "shopId" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PublishedMetafields_pkey" PRIMARY KEY ("shopId","owner")
);

-- CreateTable
CREATE TABLE "PublishQueueItem" (
    "shopId" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "enqueuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublishQueueItem_pkey" PRIMARY KEY ("shopId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "OfferSettings" (
    "shopId" TEXT NOT NULL,
    "attributionWindowDays" INTEGER NOT NULL DEFAULT 14,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfferSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "Offer_shopId_status_idx" ON "Offer"("shopId", "status");

-- CreateIndex
CREATE INDEX "OfferAssignment_shopId_customerShopifyId_idx" ON "OfferAssignment"("shopId", "customerShopifyId");

-- CreateIndex
CREATE INDEX "OfferEvent_shopId_offerId_type_occurredAt_idx" ON "OfferEvent"("shopId", "offerId", "type", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfferEvent_shopId_requestKey_key" ON "OfferEvent"("shopId", "requestKey");

-- CreateIndex
CREATE INDEX "PublishQueueItem_shopId_enqueuedAt_idx" ON "PublishQueueItem"("shopId", "enqueuedAt");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferAssignment" ADD CONSTRAINT "OfferAssignment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferEvent" ADD CONSTRAINT "OfferEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopperOptOut" ADD CONSTRAINT "ShopperOptOut_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishedMetafields" ADD CONSTRAINT "PublishedMetafields_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublishQueueItem" ADD CONSTRAINT "PublishQueueItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferSettings" ADD CONSTRAINT "OfferSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
