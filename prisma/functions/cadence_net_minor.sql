-- Net revenue of an order, the figure customer metrics count (docs/data.md):
--   'merchandise' (default): line items after all discounts, without shipping and tax, less refunded line items;
--   'total': what the customer paid, shipping and tax included, less money refunded.
-- A cancelled order counts zero; a net is never negative.
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
