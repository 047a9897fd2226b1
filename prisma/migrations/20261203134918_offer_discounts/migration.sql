-- CreateTable
CREATE TABLE "OfferDiscount" (
    "shopId" TEXT NOT NULL,
    "offerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "segmentGid" TEXT,
    "discountGid" TEXT,
    "pendingSince" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT false,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "lastErrorTemporary" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OfferDiscount_pkey" PRIMARY KEY ("shopId","offerId")
);

-- CreateIndex
CREATE INDEX "OfferDiscount_pendingSince_idx" ON "OfferDiscount"("pendingSince");

-- CreateIndex
CREATE UNIQUE INDEX "OfferDiscount_shopId_code_key" ON "OfferDiscount"("shopId", "code");

-- AddForeignKey
ALTER TABLE "OfferDiscount" ADD CONSTRAINT "OfferDiscount_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
