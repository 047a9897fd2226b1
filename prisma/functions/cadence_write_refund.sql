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
