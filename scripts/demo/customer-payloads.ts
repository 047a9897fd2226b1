import type { ConsentState, Customer } from "./model.ts";
import { customerPhone, defaultAddress, gid, PLACEHOLDER, shopDefaults, time } from "./payload-parts.ts";
import type { DemoShop } from "./payload-parts.ts";
import type { PayloadObject } from "./serialize.ts";

// customers/* payloads in the shape of Shopify's 2026-04 samples. Since API 2025-01 Shopify no longer puts
// marketing consent in customer payloads: it arrives on customers_email_marketing_consent/update and
// customers_marketing_consent/update, built below. includeConsent adds the pre-2025-01 fields for apps that
// still read them.

export interface CustomerPayloadOptions {
  /** Add email_marketing_consent / sms_marketing_consent as API versions before 2025-01 did. Default false. */
  includeConsent?: boolean;
  /** updated_at to write (customers/update after an order, say). Default customer.updatedAt. */
  updatedAt?: Date;
}

function customerBody(
  customer: Customer,
  shop: DemoShop | undefined,
  withAddresses: boolean,
  options: CustomerPayloadOptions,
): PayloadObject {
  const resolved = shopDefaults(shop);
  const address = defaultAddress(customer);
  const body: PayloadObject = {
    id: BigInt(customer.id),
    created_at: time(customer.createdAt, resolved),
    updated_at: time(options.updatedAt ?? customer.updatedAt, resolved),
    first_name: PLACEHOLDER.firstName,
    last_name: PLACEHOLDER.lastName(customer.ordinal),
    state: customer.accountState,
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: PLACEHOLDER.email(customer.ordinal),
    phone: customerPhone(customer),
    currency: resolved.currency,
  };
  if (withAddresses) body.addresses = [address];
  body.tax_exemptions = [];
  body.admin_graphql_api_id = gid("Customer", customer.id);
  body.default_address = address;
  if (options.includeConsent) {
    body.email_marketing_consent = emailConsent(customer, resolved);
    body.sms_marketing_consent = smsConsent(customer, resolved);
  }
  return body;
}

function emailConsent(customer: Customer, shop: Required<DemoShop>): PayloadObject {
  return {
    state: customer.emailMarketing,
    opt_in_level: customer.emailMarketing === "not_subscribed" ? null : "single_opt_in",
    consent_updated_at: customer.consentUpdatedAt ? time(customer.consentUpdatedAt, shop) : null,
  };
}

function smsConsent(customer: Customer, shop: Required<DemoShop>): PayloadObject {
  const state: ConsentState = customer.smsMarketing;
  return {
    state,
    opt_in_level: state === "subscribed" ? "single_opt_in" : null,
    consent_updated_at: state === "subscribed" ? time(customer.createdAt, shop) : null,
    consent_collected_from: "other",
  };
}

export function customerCreatePayload(
  customer: Customer,
  shop?: DemoShop,
  options: CustomerPayloadOptions = {},
): PayloadObject {
  return customerBody(customer, shop, true, options);
}

export function customerUpdatePayload(
  customer: Customer,
  shop?: DemoShop,
  options: CustomerPayloadOptions = {},
): PayloadObject {
  return customerBody(customer, shop, true, options);
}

/** The customer as embedded in an order payload (Shopify's sample has no addresses list there). */
export function orderCustomer(customer: Customer, shop: DemoShop, currency: string): PayloadObject {
  return customerBody(customer, { ...shop, currency }, false, {});
}

/** customers_email_marketing_consent/update */
export function customerEmailMarketingConsentPayload(customer: Customer, shop?: DemoShop): PayloadObject {
  return {
    customer_id: BigInt(customer.id),
    email_address: PLACEHOLDER.email(customer.ordinal),
    email_marketing_consent: emailConsent(customer, shopDefaults(shop)),
  };
}

/** customers_marketing_consent/update (SMS) */
export function customerSmsMarketingConsentPayload(customer: Customer, shop?: DemoShop): PayloadObject {
  return {
    id: BigInt(customer.id),
    phone: customerPhone(customer),
    sms_marketing_consent: smsConsent(customer, shopDefaults(shop)),
  };
}
