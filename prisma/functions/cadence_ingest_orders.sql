-- Group commit: several orders/* deliveries in one statement, so one transaction, one round trip and one commit
-- (app/ingest/facts/order-batches.ts). Each delivery is claimed in the ledger (cadence_claim_delivery), written
-- (cadence_apply_order) and given its outcome, inside its own subtransaction: a delivery PostgreSQL refuses is rolled
-- back alone and returned with its SQLSTATE (the caller answers it 400, or retries it), and the others still commit. Deliveries are handled in the order given, which the
-- caller sorts by order ID, and every changed customer is marked at the end, in customer order, so two concurrent
-- batches (or a batch and the profile refresh, which clears marks in customer order) take their locks in one
-- order and cannot deadlock. Callers keep batches to 50: past 64 subtransactions PostgreSQL's snapshots overflow
-- their subtransaction cache, which slows every session.
-- p_deliveries: [{shopDomain, webhookId, eventId, topic, triggeredAt, orderId, order, lines, refunds}].
-- One row per delivery, in the same order.
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
