-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "lineAmountsByType" JSONB NOT NULL DEFAULT '{}';

-- ---------------------------------------------------------------------------------------------------------------
-- Each order keeps its line amounts by product type ({"Mugs": 2400}), what profiles read for a customer's top
-- product types, so a full pass reads orders alone instead of probing OrderLine once per order (about half the
-- read's time on 1M orders; docs/segments.md "Recompute"). Orders already stored get theirs from their lines; from
-- now on the writers of lines keep it: cadence_apply_order (webhooks, reconciliation) from the payload's lines, which
-- are the order's lines once it is written, and cadence_import_bulk_orders (backfill) for every order that gained
-- lines in a batch.

UPDATE "Order" o SET "lineAmountsByType" = s.amounts
FROM (SELECT t."orderId", jsonb_object_agg(t.type, t.amount) AS amounts
      FROM (SELECT l."orderId", l."productType" AS type, sum(l."amountMinor") AS amount FROM "OrderLine" l
            WHERE l."productType" IS NOT NULL AND l."productType" <> '' GROUP BY l."orderId", l."productType") t
      GROUP BY t."orderId") s
WHERE o."id" = s."orderId";

