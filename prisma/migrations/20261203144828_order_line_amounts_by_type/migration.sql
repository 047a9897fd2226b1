-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "lineAmountsByType" JSONB NOT NULL DEFAULT '{}';

-- ---------------------------------------------------------------------------------------------------------------
-- Each order keeps its line amounts by product type ({"Mugs": 2400}), what profiles read for a customer's top
-- product types, so a full pass reads orders alone instead of probing OrderLine once per order (about half the
-- read's time on 1M orders; docs/segments.md "Recompute"). Orders already stored get theirs from their lines; from
-- now on the writers of lines keep it: cadence_apply_order (webhooks, reconciliation) from the payload's lines, which
-- are the order's lines once it is written, and cadence_import_bulk_orders (backfill) for every order that gained
-- lines in a batch. Both are the previous migrations' functions with that one addition.

UPDATE "Order" o SET "lineAmountsByType" = s.amounts
FROM (SELECT t."orderId", jsonb_object_agg(t.type, t.amount) AS amounts
      FROM (SELECT l."orderId", l."productType" AS type, sum(l."amountMinor") AS amount FROM "OrderLine" l
            WHERE l."productType" IS NOT NULL AND l."productType" <> '' GROUP BY l."orderId", l."productType") t
      GROUP BY t."orderId") s
WHERE o."id" = s."orderId";

CREATE OR REPLACE FUNCTION cadence_apply_order(
  p_shop_id text, p_order_id text, p_order jsonb, p_lines jsonb, p_refunds jsonb, p_basis text, p_backfill_operation text)
RETURNS TABLE (applied boolean, changed boolean, deleted boolean, new_refunds integer, customers text[])
LANGUAGE plpgsql AS $$
DECLARE
  v_previous_id bigint;
  v_previous_customer text;
  v_previous_updated_at timestamp(3);
  v_id bigint;
  v_merchandise bigint;
  v_total bigint;
  v_now timestamp(3) := now() AT TIME ZONE 'UTC';
BEGIN
  applied := false;
  changed := false;
  new_refunds := 0;
  customers := ARRAY[]::text[];
  deleted := EXISTS (SELECT 1 FROM "DeletedOrder" WHERE "shopId" = p_shop_id AND "shopifyId" = p_order_id);
  IF deleted THEN
    RETURN NEXT;
    RETURN;
  END IF;

  SELECT "id", "customerShopifyId", "sourceUpdatedAt" INTO v_previous_id, v_previous_customer, v_previous_updated_at
  FROM "Order" WHERE "shopId" = p_shop_id AND "shopifyId" = p_order_id;

  INSERT INTO "Refund" ("shopId", "orderShopifyId", "orderId", "shopifyId", "processedAt", "merchandiseMinor", "totalMinor")
  SELECT p_shop_id, p_order_id, v_previous_id, r."shopifyId", r."processedAt", r."merchandiseMinor", r."totalMinor"
  FROM jsonb_to_recordset(p_refunds) AS r("shopifyId" text, "processedAt" timestamp(3), "merchandiseMinor" bigint, "totalMinor" bigint)
  ON CONFLICT ("shopId", "shopifyId") DO NOTHING;
  GET DIAGNOSTICS new_refunds = ROW_COUNT;

  SELECT COALESCE(SUM("merchandiseMinor"), 0), COALESCE(SUM("totalMinor"), 0) INTO v_merchandise, v_total
  FROM "Refund" WHERE "shopId" = p_shop_id AND "orderShopifyId" = p_order_id;

  INSERT INTO "Order" AS o ("shopId", "shopifyId", "name", "customerShopifyId", "processedAt", "shopifyCreatedAt",
    "sourceUpdatedAt", "currency", "financialStatus", "test", "cancelledAt", "subtotalMinor", "shippingMinor",
    "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "discountCodes", "lineAmountsByType", "backfillOperation", "createdAt",
    "updatedAt")
  SELECT p_shop_id, p_order_id, i."name", i."customerShopifyId", i."processedAt", i."shopifyCreatedAt", i."sourceUpdatedAt",
    i."currency", i."financialStatus", i."test", i."cancelledAt", i."subtotalMinor", i."shippingMinor", i."taxMinor",
    i."discountMinor", i."totalMinor", cadence_refunded_minor(p_basis, v_merchandise, v_total),
    cadence_net_minor(p_basis, i."cancelledAt", i."subtotalMinor", i."totalMinor", v_merchandise, v_total),
    COALESCE(i."discountCodes", ARRAY[]::text[]),
    (SELECT COALESCE(jsonb_object_agg(t.type, t.amount), '{}'::jsonb) FROM (
       SELECT l."productType" AS type, sum(l."amountMinor") AS amount
       FROM jsonb_to_recordset(p_lines) AS l("productType" text, "amountMinor" bigint)
       WHERE l."productType" IS NOT NULL AND l."productType" <> '' GROUP BY l."productType") t),
    p_backfill_operation, v_now, v_now
  FROM jsonb_to_record(p_order) AS i("name" text, "customerShopifyId" text, "processedAt" timestamp(3),
    "shopifyCreatedAt" timestamp(3), "sourceUpdatedAt" timestamp(3), "currency" text, "financialStatus" text,
    "test" boolean, "cancelledAt" timestamp(3), "subtotalMinor" bigint, "shippingMinor" bigint, "taxMinor" bigint,
    "discountMinor" bigint, "totalMinor" bigint, "discountCodes" text[])
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
    "name" = EXCLUDED."name", "customerShopifyId" = EXCLUDED."customerShopifyId", "processedAt" = EXCLUDED."processedAt",
    "shopifyCreatedAt" = EXCLUDED."shopifyCreatedAt", "sourceUpdatedAt" = EXCLUDED."sourceUpdatedAt",
    "currency" = EXCLUDED."currency", "financialStatus" = EXCLUDED."financialStatus", "test" = EXCLUDED."test",
    "cancelledAt" = EXCLUDED."cancelledAt", "subtotalMinor" = EXCLUDED."subtotalMinor",
    "shippingMinor" = EXCLUDED."shippingMinor", "taxMinor" = EXCLUDED."taxMinor",
    "discountMinor" = EXCLUDED."discountMinor", "totalMinor" = EXCLUDED."totalMinor",
    "refundedMinor" = EXCLUDED."refundedMinor", "netMinor" = EXCLUDED."netMinor",
    "discountCodes" = EXCLUDED."discountCodes", "lineAmountsByType" = EXCLUDED."lineAmountsByType",
    "backfillOperation" = EXCLUDED."backfillOperation", "updatedAt" = EXCLUDED."updatedAt"
  WHERE o."sourceUpdatedAt" <= EXCLUDED."sourceUpdatedAt"
  RETURNING o."id" INTO v_id;
  applied := v_id IS NOT NULL;
  -- changed: Cadence learned something (a new state, or a refund), as opposed to receiving the same state again.
  changed := (applied AND (v_previous_id IS NULL OR v_previous_updated_at < (p_order->>'sourceUpdatedAt')::timestamp(3)))
    OR new_refunds > 0;

  IF applied AND v_previous_id IS NOT NULL THEN
    -- An edited order's lines are the payload's lines.
    DELETE FROM "OrderLine" WHERE "orderId" = v_id
      AND NOT ("shopifyId" IN (SELECT l->>'shopifyId' FROM jsonb_array_elements(p_lines) AS l));
  END IF;
  IF applied THEN
    INSERT INTO "OrderLine" ("shopId", "orderId", "shopifyId", "productId", "variantId", "productType", "quantity", "amountMinor")
    SELECT p_shop_id, v_id, l."shopifyId", l."productId", l."variantId", l."productType", l."quantity", l."amountMinor"
    FROM jsonb_to_recordset(p_lines) AS l("shopifyId" text, "productId" text, "variantId" text, "productType" text,
      "quantity" integer, "amountMinor" bigint)
    ON CONFLICT ("orderId", "shopifyId") DO UPDATE SET "productId" = EXCLUDED."productId",
      "variantId" = EXCLUDED."variantId", "productType" = EXCLUDED."productType", "quantity" = EXCLUDED."quantity",
      "amountMinor" = EXCLUDED."amountMinor";
    -- Refunds that arrived before their order are linked to it now.
    UPDATE "Refund" SET "orderId" = v_id
    WHERE "shopId" = p_shop_id AND "orderShopifyId" = p_order_id AND "orderId" IS NULL;
  END IF;

  -- A stale payload that brought a refund Cadence had not seen: the stored state's net must count it.
  IF NOT applied AND new_refunds > 0 THEN
    PERFORM cadence_recompute_order_net(p_shop_id, p_order_id, p_basis);
  END IF;
  IF applied OR new_refunds > 0 THEN
    customers := ARRAY(
      SELECT DISTINCT c FROM unnest(ARRAY[CASE WHEN applied THEN p_order->>'customerShopifyId' END, v_previous_customer]) AS c
      WHERE c IS NOT NULL ORDER BY c);
  END IF;
  RETURN NEXT;
END
$$;

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
