-- Money refunded on an order, on the shop's net-revenue basis (see cadence_net_minor).
CREATE OR REPLACE FUNCTION cadence_refunded_minor(p_basis text, p_refunded_merchandise bigint, p_refunded_total bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_basis = 'total' THEN p_refunded_total ELSE p_refunded_merchandise END
$$;
