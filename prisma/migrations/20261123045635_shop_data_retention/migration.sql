-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "dataRetentionDays" INTEGER NOT NULL DEFAULT 365;
