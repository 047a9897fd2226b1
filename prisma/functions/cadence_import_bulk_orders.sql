-- Orders and line items of one batch of a bulk file. The file is read without groupObjects, so a line item may come
-- before or after its order: a line whose order is not (yet) in the state this operation wrote waits in
-- BackfillPendingLine and is attached when its order is written. An order already holding a newer state (from a
-- webhook) is left alone, and so are its lines. Net amounts count the refunds already stored; refunds the bulk file
-- only names are queued in BackfillRefundDetail for a regular query. Every order that gained lines gets its line
-- amounts by product type from all of its stored lines.
CREATE OR REPLACE FUNCTION cadence_import_bulk_orders(
  p_shop_id text, p_operation text, p_basis text, p_orders jsonb, p_lines jsonb)
RETURNS TABLE (orders_written integer, lines_written integer, lines_waiting integer, refund_details_queued integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp(3) := now() AT TIME ZONE 'UTC';
  v_written text[];
  v_customers text[];
  v_lined bigint[];
  v_adopted bigint[];
BEGIN
  WITH input AS (
    SELECT DISTINCT ON (i."shopifyId") i.* FROM jsonb_to_recordset(p_orders) AS i("shopifyId" text, "name" text, "customerShopifyId" text,
      "processedAt" timestamp(3), "shopifyCreatedAt" timestamp(3), "sourceUpdatedAt" timestamp(3), "currency" text,
      "financialStatus" text, "test" boolean, "cancelledAt" timestamp(3), "subtotalMinor" bigint,
      "shippingMinor" bigint, "taxMinor" bigint, "discountMinor" bigint, "totalMinor" bigint, "discountCodes" text[])
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
      "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "discountCodes", "backfillOperation", "createdAt",
      "updatedAt")
    SELECT p_shop_id, i."shopifyId", i."name", i."customerShopifyId", i."processedAt", i."shopifyCreatedAt",
      i."sourceUpdatedAt", i."currency", i."financialStatus", i."test", i."cancelledAt", i."subtotalMinor",
      i."shippingMinor", i."taxMinor", i."discountMinor", i."totalMinor",
      cadence_refunded_minor(p_basis, COALESCE(s.merchandise, 0), COALESCE(s.total, 0)),
      cadence_net_minor(p_basis, i."cancelledAt", i."subtotalMinor", i."totalMinor", COALESCE(s.merchandise, 0), COALESCE(s.total, 0)),
      COALESCE(i."discountCodes", ARRAY[]::text[]), p_operation, v_now, v_now
    FROM input i LEFT JOIN refund_sums s ON s."orderShopifyId" = i."shopifyId"
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      "name" = EXCLUDED."name", "customerShopifyId" = EXCLUDED."customerShopifyId", "processedAt" = EXCLUDED."processedAt",
      "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
      "currency" = EXCLUDED."currency", "financialStatus" = EXCLUDED."financialStatus", "test" = EXCLUDED."test",
      "cancelledAt" = EXCLUDED."cancelledAt", "subtotalMinor" = EXCLUDED."subtotalMinor",
      "shippingMinor" = EXCLUDED."shippingMinor", "taxMinor" = EXCLUDED."taxMinor",
      "discountMinor" = EXCLUDED."discountMinor", "totalMinor" = EXCLUDED."totalMinor",
      "refundedMinor" = EXCLUDED."refundedMinor", "netMinor" = EXCLUDED."netMinor",
      "discountCodes" = EXCLUDED."discountCodes",
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
    RETURNING "orderId"
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
  SELECT (SELECT count(*) FROM attached)::int, (SELECT count(*) FROM waiting)::int, (SELECT array_agg(DISTINCT "orderId") FROM attached)
  INTO lines_written, lines_waiting, v_lined;

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
    RETURNING "orderId"
  )
  SELECT lines_written + (SELECT count(*) FROM attached)::int, (SELECT array_agg(DISTINCT "orderId") FROM attached)
  INTO lines_written, v_adopted;

  -- Every order that gained lines in this batch: its amounts by product type, from all of its stored lines.
  UPDATE "Order" o SET "lineAmountsByType" = s.amounts
  FROM (SELECT t."orderId", jsonb_object_agg(t.type, t.amount) AS amounts
        FROM (SELECT l."orderId", l."productType" AS type, sum(l."amountMinor") AS amount FROM "OrderLine" l
              WHERE l."orderId" = ANY (COALESCE(v_lined, ARRAY[]::bigint[]) || COALESCE(v_adopted, ARRAY[]::bigint[]))
                AND l."productType" IS NOT NULL AND l."productType" <> ''
              GROUP BY l."orderId", l."productType") t
        GROUP BY t."orderId") s
  WHERE o."shopId" = p_shop_id AND o."id" = s."orderId";

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
