-- Cadence no longer reads or keeps email marketing consent: no feature uses it, and its Admin API replacement
-- (Customer.defaultEmailAddress) is protected email data. See docs/decisions/0007-no-email-marketing-consent.md.

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "emailMarketingConsent";

-- cadence_write_customers as before, without the consent column.
CREATE OR REPLACE FUNCTION cadence_write_customers(p_shop_id text, p_customers jsonb)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp(3) := now() AT TIME ZONE 'UTC';
  v_written integer;
BEGIN
  INSERT INTO "Customer" AS c ("shopId", "shopifyId", "shopifyCreatedAt", "sourceUpdatedAt",
    "metricsDirtyAt", "createdAt", "updatedAt")
  SELECT DISTINCT ON (i."shopifyId") p_shop_id, i."shopifyId", i."shopifyCreatedAt", i."sourceUpdatedAt",
    v_now, v_now, v_now
  FROM jsonb_to_recordset(p_customers) AS i("shopifyId" text, "shopifyCreatedAt" timestamp(3),
    "sourceUpdatedAt" timestamp(3))
  ORDER BY i."shopifyId", i."sourceUpdatedAt" DESC NULLS LAST
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", c."shopifyCreatedAt"),
    "sourceUpdatedAt" = COALESCE(EXCLUDED."sourceUpdatedAt", c."sourceUpdatedAt"),
    "updatedAt" = EXCLUDED."updatedAt"
  WHERE c."deletedAt" IS NULL
    AND (c."sourceUpdatedAt" IS NULL OR EXCLUDED."sourceUpdatedAt" IS NULL OR c."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt");
  GET DIAGNOSTICS v_written = ROW_COUNT;
  RETURN v_written;
END
$$;
