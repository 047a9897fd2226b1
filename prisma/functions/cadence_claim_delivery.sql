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
