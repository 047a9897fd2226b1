-- CreateTable
CREATE TABLE "ShopJobStatus" (
    "shopId" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "failingSince" TIMESTAMP(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ShopJobStatus_pkey" PRIMARY KEY ("shopId","job")
);

-- AddForeignKey
ALTER TABLE "ShopJobStatus" ADD CONSTRAINT "ShopJobStatus_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
