-- A Flow trigger recorder. Whatever writes a tier change or a segment transition (the full pass, the incremental
-- refresh, staff and Flow overrides, departed customers), its Flow triggers are recorded by these database triggers in
-- the same transaction, so a rolled-back write records none and a committed one exactly one per trigger kind.
-- Statement-level with a transition table: one extra statement per write statement, not one per row. Before a shop's
-- first full pass has finished (FlowState.liveSince unset) nothing is recorded: the tiers and segments customers start
-- with are not events (docs/decisions/0307-flow-trigger-outbox.md).
-- Segment transitions: entered or left, and entering At risk is also "became at risk", with the 12-month value the
-- profile written earlier in the same transaction holds. Shoppers who turned personalised offers off are not sent
-- to the merchant's segment workflows.
CREATE OR REPLACE FUNCTION cadence_flow_segment_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "FlowState" f WHERE f."shopId" = (SELECT "shopId" FROM inserted LIMIT 1) AND f."liveSince" IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "FlowTrigger" ("shopId", "customerShopifyId", kind, "segmentTransitionId", "valueAtRiskMinor", state)
  SELECT s."shopId", s."customerShopifyId", k.kind, s.id, CASE WHEN k.kind = 'became-at-risk' THEN p."clv12mMinor" END, 'new'
    FROM inserted s
    JOIN "Customer" c ON c."shopId" = s."shopId" AND c."shopifyId" = s."customerShopifyId" AND c."deletedAt" IS NULL AND NOT c."optedOut"
    CROSS JOIN LATERAL (VALUES (CASE s.kind WHEN 'entered' THEN 'segment-entered' ELSE 'segment-left' END),
                               (CASE WHEN s.kind = 'entered' AND s."segmentKey" = 'at_risk' THEN 'became-at-risk' END)) AS k(kind)
    LEFT JOIN "CustomerProfile" p ON k.kind = 'became-at-risk' AND p."shopId" = s."shopId" AND p."customerShopifyId" = s."customerShopifyId"
   WHERE k.kind IS NOT NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER cadence_flow_segment_transitions AFTER INSERT ON "SegmentTransition"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION cadence_flow_segment_transitions();
