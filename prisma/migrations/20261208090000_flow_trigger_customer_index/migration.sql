-- customers/redact deletes a customer's Flow triggers in batches (app/privacy/redact-customer.ts), and the Flow
-- dispatcher leaves out customers whose redaction is pending: both find a customer's rows by this index.
CREATE INDEX "FlowTrigger_shopId_customerShopifyId_idx" ON "FlowTrigger"("shopId", "customerShopifyId");
