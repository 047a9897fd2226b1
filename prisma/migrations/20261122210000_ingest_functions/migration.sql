-- Ingest's hot path as PostgreSQL functions (docs/decisions/0005-ingest-writes-in-sql-functions.md).
-- A webhook delivery is a claim and one write, each one function call: PL/pgSQL keeps its statements' plans for the
-- session, so a delivery costs two round trips instead of a dozen ORM queries, on PGlite and on PostgreSQL alike.
-- Conventions: parameters are p_*, locals v_*; timestamps are timestamp(3) holding UTC; money is bigint minor units.
-- To change one, add a migration with CREATE OR REPLACE FUNCTION; never edit this file.

-- Net revenue of an order, the figure customer metrics count (docs/data.md):
--   'merchandise' (default): line items after all discounts, without shipping and tax, less refunded line items;
--   'total': what the customer paid, shipping and tax included, less money refunded.
-- A cancelled order counts zero; a net is never negative.
CREATE OR REPLACE FUNCTION cadence_refunded_minor(p_basis text, p_refunded_merchandise bigint, p_refunded_total bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_basis = 'total' THEN p_refunded_total ELSE p_refunded_merchandise END
$$;

CREATE OR REPLACE FUNCTION cadence_net_minor(
  p_basis text, p_cancelled_at timestamp(3), p_subtotal bigint, p_total bigint,
  p_refunded_merchandise bigint, p_refunded_total bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_cancelled_at IS NOT NULL THEN 0
    WHEN p_basis = 'total' THEN GREATEST(0, p_total - p_refunded_total)
    ELSE GREATEST(0, p_subtotal - p_refunded_merchandise)
  END
$$;

-- Recomputes an order's refunded and net amounts from every refund stored for it. Returns the order's customer (NULL
-- for a guest, or when the order is not stored).
CREATE OR REPLACE FUNCTION cadence_recompute_order_net(p_shop_id text, p_order_id text, p_basis text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_merchandise bigint;
  v_total bigint;
  v_customer text;
BEGIN
  SELECT COALESCE(SUM("merchandiseMinor"), 0), COALESCE(SUM("totalMinor"), 0) INTO v_merchandise, v_total
  FROM "Refund" WHERE "shopId" = p_shop_id AND "orderShopifyId" = p_order_id;
  UPDATE "Order" SET
    "refundedMinor" = cadence_refunded_minor(p_basis, v_merchandise, v_total),
    "netMinor" = cadence_net_minor(p_basis, "cancelledAt", "subtotalMinor", "totalMinor", v_merchandise, v_total),
    "updatedAt" = (now() AT TIME ZONE 'UTC')
  WHERE "shopId" = p_shop_id AND "shopifyId" = p_order_id
  RETURNING "customerShopifyId" INTO v_customer;
  RETURN v_customer;
END
$$;

-- Marks customers' metrics dirty (the profile-refresh outbox), creating bare customer rows when needed. Sorted, so
-- concurrent transactions lock customer rows in the same order.
CREATE OR REPLACE FUNCTION cadence_mark_customers_dirty(p_shop_id text, p_customers text[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO "Customer" ("shopId", "shopifyId", "metricsDirtyAt", "createdAt", "updatedAt")
  SELECT p_shop_id, c, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM (SELECT DISTINCT c FROM unnest(p_customers) AS c WHERE c IS NOT NULL) AS distinct_customers ORDER BY c
  ON CONFLICT ("shopId", "shopifyId") DO UPDATE
    SET "metricsDirtyAt" = EXCLUDED."metricsDirtyAt", "updatedAt" = EXCLUDED."updatedAt"
$$;

-- Claims a webhook delivery in the idempotency ledger. No row: the shop is unknown. delivery_id NULL: this delivery
-- was already recorded, or the shop is uninstalled and the topic is not honoured after uninstall. same_event: another
-- delivery of the same event and topic is already recorded (this one is recorded as a duplicate). When the claim
-- succeeds, the resource's advisory lock (p_lock_key, e.g. an order) is held until the transaction ends.
CREATE OR REPLACE FUNCTION cadence_claim_delivery(
  p_shop_domain text, p_webhook_id text, p_event_id text, p_topic text, p_triggered_at timestamp(3),
  p_after_uninstall boolean, p_lock_key text)
RETURNS TABLE (shop_id text, shop_domain text, currency_code text, net_revenue_basis text, uninstalled boolean,
  delivery_id text, same_event boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT s."id", s."domain", s."currencyCode", s."netRevenueBasis", s."uninstalledAt" IS NOT NULL
  INTO shop_id, shop_domain, currency_code, net_revenue_basis, uninstalled
  FROM "Shop" s WHERE s."domain" = p_shop_domain;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  same_event := false;
  IF uninstalled AND NOT p_after_uninstall THEN
    RETURN NEXT;
    RETURN;
  END IF;
  same_event := p_event_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM "WebhookDelivery" d WHERE d."shopId" = shop_id AND d."eventId" = p_event_id AND d."topic" = p_topic);
  -- A concurrent duplicate waits here on the unique key, then finds it taken.
  INSERT INTO "WebhookDelivery" ("shopId", "webhookId", "eventId", "topic", "triggeredAt", "receivedAt", "processedAt", "outcome", "detail")
  VALUES (shop_id, p_webhook_id, p_event_id, p_topic, p_triggered_at, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
    CASE WHEN same_event THEN 'duplicate' ELSE 'applied' END,
    CASE WHEN same_event THEN 'event already recorded' END)
  ON CONFLICT ("shopId", "webhookId") DO NOTHING
  RETURNING "id" INTO v_id;
  delivery_id := v_id::text;
  IF v_id IS NOT NULL AND NOT same_event AND p_lock_key IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtextextended(shop_id || ':' || p_lock_key, 0));
  END IF;
  RETURN NEXT;
END
$$;

-- Writes an order's state with its lines and refunds. An older updated_at never overwrites a newer state (an equal
-- one is the same state again); a deleted order stays deleted. Refunds are facts of their own and are kept whatever
-- the order's state. Customers whose facts changed (the order's, and its previous one if it moved) are marked dirty.
-- p_order: the order's scalar fields; p_lines, p_refunds: arrays of objects (see app/ingest/facts/orders.ts).
CREATE OR REPLACE FUNCTION cadence_write_order(
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
    "taxMinor", "discountMinor", "totalMinor", "refundedMinor", "netMinor", "backfillOperation", "createdAt", "updatedAt")
  SELECT p_shop_id, p_order_id, i."name", i."customerShopifyId", i."processedAt", i."shopifyCreatedAt", i."sourceUpdatedAt",
    i."currency", i."financialStatus", i."test", i."cancelledAt", i."subtotalMinor", i."shippingMinor", i."taxMinor",
    i."discountMinor", i."totalMinor", cadence_refunded_minor(p_basis, v_merchandise, v_total),
    cadence_net_minor(p_basis, i."cancelledAt", i."subtotalMinor", i."totalMinor", v_merchandise, v_total),
    p_backfill_operation, v_now, v_now
  FROM jsonb_to_record(p_order) AS i("name" text, "customerShopifyId" text, "processedAt" timestamp(3),
    "shopifyCreatedAt" timestamp(3), "sourceUpdatedAt" timestamp(3), "currency" text, "financialStatus" text,
    "test" boolean, "cancelledAt" timestamp(3), "subtotalMinor" bigint, "shippingMinor" bigint, "taxMinor" bigint,
    "discountMinor" bigint, "totalMinor" bigint)
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
    PERFORM cadence_mark_customers_dirty(p_shop_id, customers);
  END IF;
  RETURN NEXT;
END
$$;

-- refunds/create: keeps the refund (by its own ID, so it counts once whichever source brings it), even when its order
-- has not arrived yet, and recomputes the order's net when the order is stored.
CREATE OR REPLACE FUNCTION cadence_write_refund(
  p_shop_id text, p_order_id text, p_refund_id text, p_processed_at timestamp(3), p_merchandise bigint, p_total bigint,
  p_basis text)
RETURNS TABLE (inserted boolean, order_known boolean, deleted boolean, customer text)
LANGUAGE plpgsql AS $$
DECLARE
  v_order_id bigint;
  v_count integer;
BEGIN
  inserted := false;
  deleted := EXISTS (SELECT 1 FROM "DeletedOrder" WHERE "shopId" = p_shop_id AND "shopifyId" = p_order_id);
  SELECT "id" INTO v_order_id FROM "Order" WHERE "shopId" = p_shop_id AND "shopifyId" = p_order_id;
  order_known := v_order_id IS NOT NULL;
  IF deleted THEN
    RETURN NEXT;
    RETURN;
  END IF;
  INSERT INTO "Refund" ("shopId", "orderShopifyId", "orderId", "shopifyId", "processedAt", "merchandiseMinor", "totalMinor")
  VALUES (p_shop_id, p_order_id, v_order_id, p_refund_id, p_processed_at, p_merchandise, p_total)
  ON CONFLICT ("shopId", "shopifyId") DO NOTHING;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  inserted := v_count > 0;
  IF inserted AND order_known THEN
    customer := cadence_recompute_order_net(p_shop_id, p_order_id, p_basis);
    PERFORM cadence_mark_customers_dirty(p_shop_id, ARRAY[customer]);
  END IF;
  RETURN NEXT;
END
$$;

-- orders/create, orders/updated, orders/paid, orders/cancelled in one call: the claim, the write and the ledger's
-- outcome, in the statement's own transaction. Always one row: shop_found is false when the shop is unknown.
CREATE OR REPLACE FUNCTION cadence_ingest_order(
  p_shop_domain text, p_webhook_id text, p_event_id text, p_topic text, p_triggered_at timestamp(3),
  p_order_id text, p_order jsonb, p_lines jsonb, p_refunds jsonb)
RETURNS TABLE (shop_found boolean, shop_uninstalled boolean, delivery_id text, same_event boolean, result text,
  result_detail text, changed_customers text[])
LANGUAGE plpgsql AS $$
DECLARE
  v_claim record;
  v_write record;
BEGIN
  shop_found := false;
  shop_uninstalled := false;
  same_event := false;
  changed_customers := ARRAY[]::text[];
  SELECT * INTO v_claim FROM cadence_claim_delivery(p_shop_domain, p_webhook_id, p_event_id, p_topic, p_triggered_at,
    false, 'order:' || p_order_id);
  IF NOT FOUND THEN
    RETURN NEXT;
    RETURN;
  END IF;
  shop_found := true;
  shop_uninstalled := v_claim.uninstalled;
  delivery_id := v_claim.delivery_id;
  same_event := v_claim.same_event;
  IF delivery_id IS NULL OR same_event THEN
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT * INTO v_write FROM cadence_write_order(v_claim.shop_id, p_order_id, p_order, p_lines, p_refunds,
    v_claim.net_revenue_basis, NULL);
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
  RETURN NEXT;
END
$$;
