-- Marks customers' metrics dirty (the profile-refresh outbox), creating bare customer rows when needed. Sorted, so
-- concurrent transactions lock customer rows in the same order. PL/pgSQL rather than LANGUAGE sql: a LANGUAGE sql
-- function called from PL/pgSQL is planned again on every call, while PL/pgSQL keeps the statement's plan for the
-- session.
CREATE OR REPLACE FUNCTION cadence_mark_customers_dirty(p_shop_id text, p_customers text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Customer" ("shopId", "shopifyId", "metricsDirtyAt", "createdAt", "updatedAt")
  SELECT p_shop_id, c, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM (SELECT DISTINCT c FROM unnest(p_customers) AS c WHERE c IS NOT NULL) AS distinct_customers ORDER BY c
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE
    SET "metricsDirtyAt" = EXCLUDED."metricsDirtyAt", "updatedAt" = EXCLUDED."updatedAt";
END
$$;
