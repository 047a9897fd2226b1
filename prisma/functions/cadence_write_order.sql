-- cadence_apply_order with its customers marked dirty at once: reconciliation and single deliveries.
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
