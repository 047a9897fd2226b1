-- AlterTable
ALTER TABLE "OfferEvent" ADD COLUMN     "verified" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
-- UNLOGGED: rate-limit counters need no durability (a crash empties the table: every budget starts afresh), and a
-- write that skips the WAL does not wait for its flush at commit, which every app-proxy request would otherwise do,
-- queued behind the shop's one counter row (bench:storefront). Prisma's schema cannot say this; it ignores it.
CREATE UNLOGGED TABLE "ProxyRateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "ProxyRateLimit_pkey" PRIMARY KEY ("key")
);
