-- DropForeignKey
ALTER TABLE "CustomerProfile" DROP CONSTRAINT "CustomerProfile_shopId_fkey";

-- DropForeignKey
ALTER TABLE "LoyaltyStatus" DROP CONSTRAINT "LoyaltyStatus_shopId_fkey";

-- DropForeignKey
ALTER TABLE "SegmentMembership" DROP CONSTRAINT "SegmentMembership_shopId_fkey";

-- DropForeignKey
ALTER TABLE "SegmentTransition" DROP CONSTRAINT "SegmentTransition_shopId_fkey";

-- DropForeignKey
ALTER TABLE "TierChange" DROP CONSTRAINT "TierChange_shopId_fkey";
