-- Customers (a customers/* webhook's one, or a batch of a bulk file or a reconciliation page): created or updated
-- unless Cadence holds a newer state or the customer was deleted (Shopify never reuses an ID). New customers are marked
-- dirty so their (empty) profile is created. Returns how many were written.
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
