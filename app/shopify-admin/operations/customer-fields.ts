// The customer fields Cadence ingests: identity and timestamps. No name, email, phone or address (Level 2 protected
// customer data), which Cadence neither needs nor stores.
//
// Nor email marketing consent. Customer.emailMarketingConsent is deprecated (2025-10); its replacement,
// defaultEmailAddress { marketingState }, sits on the customer's email address object, which Shopify counts as
// protected email data. No Cadence feature reads consent (segments, offers, publishing and reports work from orders
// and Cadence's own opt-out), so Cadence asks for neither field and keeps no consent state (decision 0009).
export const CUSTOMER_FIELDS = `
      id
      createdAt
      updatedAt`;

export interface CustomerRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
}
