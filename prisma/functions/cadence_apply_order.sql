-- Writes an order's state with its lines and refunds. An older updated_at never overwrites a newer state (an equal
-- one is the same state again); a deleted order stays deleted. Refunds are facts of their own and are kept whatever
-- the order's state. The order keeps its line amounts by product type ({"Mugs": 2400}), which profiles read for a
-- customer's top product types, so a full pass reads orders alone.
-- p_order: the order's scalar fields; p_lines, p_refunds: arrays of objects (see app/ingest/facts/orders.ts).
-- Returns the customers whose facts changed (the order's, and its previous one if it moved) without marking them:
-- the caller marks them, so a batch of deliveries marks its customers once, at the end, in customer order
-- (cadence_ingest_orders); cadence_write_order marks at once.
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
