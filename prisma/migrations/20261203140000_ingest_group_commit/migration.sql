-- Ingest's hot path, cheaper per delivery (docs/sync.md "Throughput"; decision 0005 still holds).

-- The dirty mark in PL/pgSQL: a LANGUAGE sql function called from PL/pgSQL is planned again on every call (about a
-- quarter of an order delivery's time in PostgreSQL); PL/pgSQL keeps the statement's plan for the session.
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

-- An order's state with its lines and refunds, as cadence_write_order wrote it (20261203133119_order_discount_codes),
-- but without the dirty mark: it returns the customers whose facts changed, for the caller to mark. Split out so a
-- batch of deliveries can mark its customers once, at the end, in customer order (cadence_ingest_orders).
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
    "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "discountCodes", "backfillOperation", "createdAt",
    "updatedAt")
  SELECT p_shop_id, p_order_id, i."name", i."customerShopifyId", i."processedAt", i."shopifyCreatedAt", i."sourceUpdatedAt",
    i."currency", i."financialStatus", i."test", i."cancelledAt", i."subtotalMinor", i."shippingMinor", i."taxMinor",
    i."discountMinor", i."totalMinor", cadence_refunded_minor(p_basis, v_merchandise, v_total),
    cadence_net_minor(p_basis, i."cancelledAt", i."subtotalMinor", i."totalMinor", v_merchandise, v_total),
    COALESCE(i."discountCodes", ARRAY[]::text[]), p_backfill_operation, v_now, v_now
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
    "discountCodes" = EXCLUDED."discountCodes",
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

-- The order write with its dirty mark, as before: reconciliation and single deliveries.
CREATE OR REPLACE FUNCTION cadence_write_order(
  p_shop_id text, p_order_id text, p_order jsonb, p_lines jsonb, p_refunds jsonb, p_basis text, p_backfill_operation text)
RETURNS TABLE (applied boolean, changed boolean, deleted boolean, new_refunds integer, customers text[])
LANGUAGE plpgsql AS $$
BEGIN
  SELECT w.applied, w.changed, w.deleted, w.new_refunds, w.customers INTO applied, changed, deleted, new_refunds, customers
  FROM cadence_apply_order(p_shop_id, p_order_id, p_order, p_lines, p_refunds, p_basis, p_backfill_operation) AS w;
  IF cardinality(customers) > 0 THEN
    PERFORM cadence_mark_customers_dirty(p_shop_id, customers);
  END IF;
  RETURN NEXT;
END
$$;

-- Group commit: several orders/* deliveries in one statement, so one transaction, one round trip and one commit
-- (app/ingest/facts/order-batches.ts). Each delivery is what cadence_ingest_order does, inside its own
-- subtransaction: a delivery PostgreSQL refuses is rolled back alone and returned with its SQLSTATE (the caller
-- answers it 400, or retries it), and the others still commit. Deliveries are handled in the order given, which the
-- caller sorts by order ID, and every changed customer is marked at the end, in customer order, so two concurrent
-- batches (or a batch and the profile refresh, which clears marks in customer order) take their locks in one
-- order and cannot deadlock. Callers keep batches to 50: past 64 subtransactions PostgreSQL's snapshots overflow
-- their subtransaction cache, which slows every session.
-- p_deliveries: [{shopDomain, webhookId, eventId, topic, triggeredAt, orderId, order, lines, refunds}] as for
-- cadence_ingest_order. One row per delivery, in the same order.
CREATE OR REPLACE FUNCTION cadence_ingest_orders(p_deliveries jsonb)
RETURNS TABLE (shop_found boolean, shop_uninstalled boolean, delivery_id text, same_event boolean, result text,
  result_detail text, changed_customers text[], error_code text, error_message text)
LANGUAGE plpgsql AS $$
DECLARE
  v_item jsonb;
  v_claim record;
  v_write record;
  v_dirty_shops text[] := ARRAY[]::text[];
  v_dirty_customers text[] := ARRAY[]::text[];
BEGIN
  FOR v_item IN SELECT d.value FROM jsonb_array_elements(p_deliveries) AS d LOOP
    shop_found := false;
    shop_uninstalled := false;
    delivery_id := NULL;
    same_event := false;
    result := NULL;
    result_detail := NULL;
    changed_customers := ARRAY[]::text[];
    error_code := NULL;
    error_message := NULL;
    BEGIN
      SELECT * INTO v_claim FROM cadence_claim_delivery(v_item->>'shopDomain', v_item->>'webhookId', v_item->>'eventId',
        v_item->>'topic', (v_item->>'triggeredAt')::timestamp(3), false, 'order:' || (v_item->>'orderId'));
      IF FOUND THEN
        shop_found := true;
        shop_uninstalled := v_claim.uninstalled;
        delivery_id := v_claim.delivery_id;
        same_event := v_claim.same_event;
        IF delivery_id IS NOT NULL AND NOT same_event THEN
          SELECT * INTO v_write FROM cadence_apply_order(v_claim.shop_id, v_item->>'orderId', v_item->'order',
            v_item->'lines', v_item->'refunds', v_claim.net_revenue_basis, NULL);
          changed_customers := v_write.customers;
          IF v_write.deleted THEN
            result := 'ignored';
            result_detail := 'the order was deleted';
          ELSIF NOT v_write.applied THEN
            result := 'stale';
            result_detail := 'a newer state is stored'
              || CASE WHEN v_write.new_refunds > 0 THEN '; ' || v_write.new_refunds || ' new refund(s) kept' ELSE '' END;
          ELSE
            result := 'applied';
          END IF;
          IF result <> 'applied' THEN
            UPDATE "WebhookDelivery" SET "outcome" = result, "detail" = result_detail WHERE "id" = delivery_id::bigint;
          END IF;
          v_dirty_shops := v_dirty_shops || array_fill(v_claim.shop_id, ARRAY[cardinality(changed_customers)]);
          v_dirty_customers := v_dirty_customers || changed_customers;
        END IF;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      shop_found := NULL;
      shop_uninstalled := NULL;
      delivery_id := NULL;
      same_event := NULL;
      result := NULL;
      result_detail := NULL;
      changed_customers := ARRAY[]::text[];
      error_code := SQLSTATE;
      error_message := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
  PERFORM cadence_mark_customers_dirty(marks.shop_id, marks.customers)
  FROM (SELECT d.shop_id, array_agg(DISTINCT d.customer ORDER BY d.customer) AS customers
        FROM unnest(v_dirty_shops, v_dirty_customers) AS d(shop_id, customer) GROUP BY d.shop_id ORDER BY d.shop_id) AS marks;
END
$$;

-- Superseded by cadence_ingest_orders (a batch of one is a single delivery).
DROP FUNCTION cadence_ingest_order(text, text, text, text, timestamp(3), text, jsonb, jsonb, jsonb);
