-- CreateTable
CREATE TABLE "NativeSegment" (
    "shopId" TEXT NOT NULL,
    "segmentKey" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "segmentGid" TEXT,
    "shopifyName" TEXT,
    "shopifyQuery" TEXT,
    "pendingSince" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "lastErrorTemporary" BOOLEAN NOT NULL DEFAULT false,
    "syncedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NativeSegment_pkey" PRIMARY KEY ("shopId","segmentKey")
);

-- CreateIndex
CREATE INDEX "NativeSegment_pendingSince_idx" ON "NativeSegment"("pendingSince");

-- AddForeignKey
ALTER TABLE "NativeSegment" ADD CONSTRAINT "NativeSegment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
