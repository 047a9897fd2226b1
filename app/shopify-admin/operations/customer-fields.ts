// The customer fields Cadence ingests: identity, timestamps and email marketing consent. No name, email, phone or
// address (Level 2 protected customer data), which Cadence neither needs nor stores.
//
// emailMarketingConsent is deprecated in favour of defaultEmailAddress.marketingState, but 2025-01 has no
// Customer.defaultEmailAddress, so the deprecated field is the one present in both schemas the tests validate
// against. Move when a 2026-04 schema is available offline.
export const CUSTOMER_FIELDS = `
      id
      createdAt
      updatedAt
      emailMarketingConsent { marketingState }`;

export interface CustomerRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  emailMarketingConsent: { marketingState: string } | null;
}
