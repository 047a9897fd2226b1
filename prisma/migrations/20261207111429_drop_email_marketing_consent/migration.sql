-- Cadence no longer reads or keeps email marketing consent: no feature uses it, and its Admin API replacement
-- (Customer.defaultEmailAddress) is protected email data. See docs/decisions/0009-no-email-marketing-consent.md.

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "emailMarketingConsent";

