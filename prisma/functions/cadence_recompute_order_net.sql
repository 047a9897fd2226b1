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
