-- AlterTable
ALTER TABLE "ModelState" ADD COLUMN     "baselineAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "SegmentDefinition" ADD COLUMN     "filledAt" TIMESTAMPTZ(3);

-- Shops segmented before this column: the last full pass stands as the baseline when the order history was whole
-- then (no backfill under way); otherwise the next full pass sets it.
UPDATE "ModelState" m SET "baselineAt" = m."fittedAt"
 WHERE NOT EXISTS (SELECT 1 FROM "SyncState" s WHERE s."shopId" = m."shopId" AND s."backfillState" IN ('pending', 'running', 'importing', 'refund-details', 'failed'));
