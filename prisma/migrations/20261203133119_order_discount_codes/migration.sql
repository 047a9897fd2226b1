-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- ---------------------------------------------------------------------------------------------------------------
-- Orders keep the discount codes they redeemed (codes only, no amounts or personal data), so offer reports count
-- redemptions of an offer's code (app/offers/measurement/attribution.ts). The order's fields JSON (p_order, p_orders)
-- carries them as "discountCodes", a JSON array of strings; a payload without it (a caller from before) stores an
-- empty list. The writers (prisma/functions/) store them.

