-- The backfill's bulk import as set-based PostgreSQL functions: one call writes a batch of a bulk JSONL file's lines
-- (docs/sync.md, "Backfill"). Same conventions as the ingest functions: p_* parameters, v_* locals, timestamp(3) UTC.

-- Orders and line items of one batch of a bulk file. The file is read without groupObjects, so a line item may come
-- before or after its order: a line whose order is not (yet) in the state this operation wrote waits in
-- BackfillPendingLine and is attached when its order is written. An order already holding a newer state (from a
-- webhook) is left alone, and so are its lines. Net amounts count the refunds already stored; refunds the bulk file
-- only names are queued in BackfillRefundDetail for a regular query.
CREATE OR REPLACE FUNCTION cadence_import_bulk_orders(
  p_shop_id text, p_operation text, p_basis text, p_orders jsonb, p_lines jsonb)
RETURNS TABLE (orders_written integer, lines_written integer, lines_waiting integer, refund_details_queued integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp(3) := now() AT TIME ZONE 'UTC';
  v_written text[];
  v_customers text[];
BEGIN
  WITH input AS (
    SELECT DISTINCT ON (i."shopifyId") i.* FROM jsonb_to_recordset(p_orders) AS i("shopifyId" text, "name" text, "customerShopifyId" text,
      "processedAt" timestamp(3), "shopifyCreatedAt" timestamp(3), "sourceUpdatedAt" timestamp(3), "currency" text,
      "financialStatus" text, "test" boolean, "cancelledAt" timestamp(3), "subtotalMinor" bigint,
      "shippingMinor" bigint, "taxMinor" bigint, "discountMinor" bigint, "totalMinor" bigint)
    WHERE NOT EXISTS (SELECT 1 FROM "DeletedOrder" d WHERE d."shopId" = p_shop_id AND d."shopifyId" = i."shopifyId")
    ORDER BY i."shopifyId", i."sourceUpdatedAt" DESC
  ),
  refund_sums AS (
    SELECT r."orderShopifyId", SUM(r."merchandiseMinor")::bigint AS merchandise, SUM(r."totalMinor")::bigint AS total
    FROM "Refund" r WHERE r."shopId" = p_shop_id AND r."orderShopifyId" IN (SELECT "shopifyId" FROM input)
    GROUP BY r."orderShopifyId"
  ),
  written AS (
    INSERT INTO "Order" AS o ("shopId", "shopifyId", "name", "customerShopifyId", "processedAt", "shopifyCreatedAt",
      "sourceUpdatedAt", "currency", "financialStatus", "test", "cancelledAt", "subtotalMinor", "shippingMinor",
      "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "backfillOperation", "createdAt", "updatedAt")
    SELECT p_shop_id, i."shopifyId", i."name", i."customerShopifyId", i."processedAt", i."shopifyCreatedAt",
      i."sourceUpdatedAt", i."currency", i."financialStatus", i."test", i."cancelledAt", i."subtotalMinor",
      i."shippingMinor", i."taxMinor", i."discountMinor", i."totalMinor",
      cadence_refunded_minor(p_basis, COALESCE(s.merchandise, 0), COALESCE(s.total, 0)),
      cadence_net_minor(p_basis, i."cancelledAt", i."subtotalMinor", i."totalMinor", COALESCE(s.merchandise, 0), COALESCE(s.total, 0)),
      p_operation, v_now, v_now
    FROM input i LEFT JOIN refund_sums s ON s."orderShopifyId" = i."shopifyId"
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      "name" = EXCLUDED."name", "customerShopifyId" = EXCLUDED."customerShopifyId", "processedAt" = EXCLUDED."processedAt",
      "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
      "currency" = EXCLUDED."currency", "financialStatus" = EXCLUDED."financialStatus", "test" = EXCLUDED."test",
      "cancelledAt" = EXCLUDED."cancelledAt", "subtotalMinor" = EXCLUDED."subtotalMinor",
      "shippingMinor" = EXCLUDED."shippingMinor", "taxMinor" = EXCLUDED."taxMinor",
      "discountMinor" = EXCLUDED."discountMinor", "totalMinor" = EXCLUDED."totalMinor",
      "refundedMinor" = EXCLUDED."refundedMinor", "netMinor" = EXCLUDED."netMinor",
      "backfillOperation" = EXCLUDED."backfillOperation", "updatedAt" = EXCLUDED."updatedAt"
    WHERE o."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"
    RETURNING o."shopifyId", o."customerShopifyId"
  )
  SELECT COALESCE(array_agg("shopifyId"), ARRAY[]::text[]), COALESCE(array_agg("customerShopifyId"), ARRAY[]::text[])
  INTO v_written, v_customers FROM written;
  orders_written := cardinality(v_written);

  -- Refunds that arrived (by webhook) before their order are linked to it.
  UPDATE "Refund" r SET "orderId" = o."id"
  FROM "Order" o
  WHERE r."shopId" = p_shop_id AND r."orderId" IS NULL AND r."orderShopifyId" = ANY (v_written)
    AND o."shopId" = p_shop_id AND o."shopifyId" = r."orderShopifyId";

  -- This batch's lines: attached to an order in the state this operation wrote, otherwise kept waiting.
  WITH input AS (
    SELECT DISTINCT ON (l."orderShopifyId", l."shopifyId") l.* FROM jsonb_to_recordset(p_lines) AS l("orderShopifyId" text,
      "shopifyId" text, "productId" text, "variantId" text, "productType" text, "quantity" integer, "amountMinor" bigint)
  ),
  placed AS (
    SELECT l.*, o."id" AS "orderId" FROM input l
    LEFT JOIN "Order" o ON o."shopId" = p_shop_id AND o."shopifyId" = l."orderShopifyId" AND o."backfillOperation" = p_operation
  ),
  attached AS (
    INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productId", "variantId", "productType", "quantity", "amountMinor")
    SELECT p_shop_id, p."orderId", p."shopifyId", p."productId", p."variantId", p."productType", p."quantity", p."amountMinor"
    FROM placed p WHERE p."orderId" IS NOT NULL
    ON CONFLICT ("orderId", "shopifyId") DO UPDATE SET "productId" = EXCLUDED."productId",
      "variantId" = EXCLUDED."variantId", "productType" = EXCLUDED."productType", "quantity" = EXCLUDED."quantity",
      "amountMinor" = EXCLUDED."amountMinor"
    RETURNING 1
  ),
  waiting AS (
    INSERT INTO "BackfillPendingLine" ("shopId", "operationId", "orderShopifyId", "shopifyId", "productId", "variantId",
      "productType", "quantity", "amountMinor")
    SELECT p_shop_id, p_operation, p."orderShopifyId", p."shopifyId", p."productId", p."variantId", p."productType",
      p."quantity", p."amountMinor"
    FROM placed p WHERE p."orderId" IS NULL
    ON CONFLICT ("shopId", "operationId", "shopifyId") DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM attached)::int, (SELECT count(*) FROM waiting)::int INTO lines_written, lines_waiting;

  -- Lines that waited for an order written by this batch.
  WITH adopted AS (
    DELETE FROM "BackfillPendingLine" w
    WHERE w."shopId" = p_shop_id AND w."operationId" = p_operation AND w."orderShopifyId" = ANY (v_written)
    RETURNING w.*
  ),
  attached AS (
    INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productId", "variantId", "productType", "quantity", "amountMinor")
    SELECT p_shop_id, o."id", a."shopifyId", a."productId", a."variantId", a."productType", a."quantity", a."amountMinor"
    FROM adopted a JOIN "Order" o ON o."shopId" = p_shop_id AND o."shopifyId" = a."orderShopifyId"
    ON CONFLICT ("orderId", "shopifyId") DO UPDATE SET "productId" = EXCLUDED."productId",
      "variantId" = EXCLUDED."variantId", "productType" = EXCLUDED."productType", "quantity" = EXCLUDED."quantity",
      "amountMinor" = EXCLUDED."amountMinor"
    RETURNING 1
  )
  SELECT lines_written + (SELECT count(*) FROM attached)::int INTO lines_written;

  -- Orders whose refunds the file names but Cadence does not hold yet: their details come from a regular query.
  WITH named AS (
    SELECT i."shopifyId" AS "orderShopifyId", refund_id
    FROM jsonb_to_recordset(p_orders) AS i("shopifyId" text, "refundIds" text[]), unnest(i."refundIds") AS refund_id
    WHERE i."shopifyId" = ANY (v_written)
  ),
  missing AS (
    SELECT DISTINCT n."orderShopifyId" FROM named n
    WHERE NOT EXISTS (SELECT 1 FROM "Refund" r WHERE r."shopId" = p_shop_id AND r."shopifyId" = n.refund_id)
  ),
  queued AS (
    INSERT INTO "BackfillRefundDetail" ("shopId", "orderShopifyId", "createdAt")
    SELECT p_shop_id, m."orderShopifyId", v_now FROM missing m
    ON CONFLICT ("shopId", "orderShopifyId") DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int INTO refund_details_queued FROM queued;

  PERFORM cadence_mark_customers_dirty(p_shop_id, v_customers);
  RETURN NEXT;
END
$$;

-- Customers (a customers/* webhook's one, or a batch of a bulk file or a reconciliation page): created or updated
-- unless Cadence holds a newer state or the customer was deleted (Shopify never reuses an ID). New customers are marked
-- dirty so their (empty) profile is created. Returns how many were written.
CREATE OR REPLACE FUNCTION cadence_write_customers(p_shop_id text, p_customers jsonb)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp(3) := now() AT TIME ZONE 'UTC';
  v_written integer;
BEGIN
  INSERT INTO "Customer" AS c ("shopId", "shopifyId", "shopifyCreatedAt", "sourceUpdatedAt", "emailMarketingConsent",
    "metricsDirtyAt", "createdAt", "updatedAt")
  SELECT DISTINCT ON (i."shopifyId") p_shop_id, i."shopifyId", i."shopifyCreatedAt", i."sourceUpdatedAt",
    i."emailMarketingConsent", v_now, v_now, v_now
  FROM jsonb_to_recordset(p_customers) AS i("shopifyId" text, "shopifyCreatedAt" timestamp(3),
    "sourceUpdatedAt" timestamp(3), "emailMarketingConsent" text)
  ORDER BY i."shopifyId", i."sourceUpdatedAt" DESC NULLS LAST
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", c."shopifyCreatedAt"),
    "sourceUpdatedAt" = COALESCE(EXCLUDED."sourceUpdatedAt", c."sourceUpdatedAt"),
    "emailMarketingConsent" = EXCLUDED."emailMarketingConsent",
    "updatedAt" = EXCLUDED."updatedAt"
  WHERE c."deletedAt" IS NULL
    AND (c."sourceUpdatedAt" IS NULL OR EXCLUDED."sourceUpdatedAt" IS NULL OR c."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt");
  GET DIAGNOSTICS v_written = ROW_COUNT;
  RETURN v_written;
END
$$;
