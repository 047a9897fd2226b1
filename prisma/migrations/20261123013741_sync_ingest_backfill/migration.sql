-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "metricsDirtyAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "backfillOperation" TEXT;

-- CreateTable
CREATE TABLE "DeletedOrder" (
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeletedOrder_pkey" PRIMARY KEY ("shopId","shopifyId")
);

-- CreateTable
CREATE TABLE "SyncState" (
    "shopId" TEXT NOT NULL,
    "backfillState" TEXT NOT NULL DEFAULT 'pending',
    "backfillStartedAt" TIMESTAMP(3),
    "backfillFinishedAt" TIMESTAMP(3),
    "backfillError" TEXT,
    "refundDetailsTotal" INTEGER NOT NULL DEFAULT 0,
    "refundDetailsDone" INTEGER NOT NULL DEFAULT 0,
    "ordersReconciledTo" TIMESTAMP(3),
    "customersReconciledTo" TIMESTAMP(3),
    "lastReconcileAt" TIMESTAMP(3),
    "lastReconcileError" TEXT,
    "lastReconcileOrders" INTEGER NOT NULL DEFAULT 0,
    "lastReconcileCustomers" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "BulkImport" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "objectsTotal" INTEGER,
    "objectsDone" INTEGER NOT NULL DEFAULT 0,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "importedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillPendingLine" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "productType" TEXT,
    "quantity" INTEGER NOT NULL,
    "amountMinor" BIGINT NOT NULL,

    CONSTRAINT "BackfillPendingLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillRefundDetail" (
    "shopId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BackfillRefundDetail_pkey" PRIMARY KEY ("shopId","orderShopifyId")
);

-- CreateIndex
CREATE INDEX "BulkImport_shopId_kind_idx" ON "BulkImport"("shopId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "BulkImport_shopId_operationId_key" ON "BulkImport"("shopId", "operationId");

-- CreateIndex
CREATE INDEX "BackfillPendingLine_shopId_operationId_orderShopifyId_idx" ON "BackfillPendingLine"("shopId", "operationId", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "BackfillPendingLine_shopId_operationId_shopifyId_key" ON "BackfillPendingLine"("shopId", "operationId", "shopifyId");

-- CreateIndex
CREATE INDEX "Customer_shopId_metricsDirtyAt_idx" ON "Customer"("shopId", "metricsDirtyAt");

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeletedOrder" ADD CONSTRAINT "DeletedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkImport" ADD CONSTRAINT "BulkImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackfillPendingLine" ADD CONSTRAINT "BackfillPendingLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackfillRefundDetail" ADD CONSTRAINT "BackfillRefundDetail_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
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

-- ---------------------------------------------------------------------------------------------------------------
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
