-- CreateTable
CREATE TABLE "PredictionBacktest" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "cutoff" DATE NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "chosenModel" TEXT NOT NULL,
    "seasonal" BOOLEAN NOT NULL,
    "expectedOrders" DOUBLE PRECISION NOT NULL,
    "actualOrders" INTEGER NOT NULL,
    "auc" DOUBLE PRECISION,
    "confidence" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PredictionBacktest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PredictionBacktest_shopId_createdAt_idx" ON "PredictionBacktest"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "PredictionBacktest" ADD CONSTRAINT "PredictionBacktest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
