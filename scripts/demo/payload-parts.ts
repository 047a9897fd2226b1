import { createHash } from "node:crypto";
import { formatMinor } from "./money.ts";
import type { Customer } from "./model.ts";
import type { PayloadObject } from "./serialize.ts";
import { shopTimestamp } from "./shop-time.ts";

// Pieces every payload builder shares: the shop, money bags, timestamps, and the personal fields Shopify sends,
// filled with obvious placeholders so the app can prove it discards them.

export interface DemoShop {
  /** "cadence-demo.myshopify.com" */
  domain: string;
  /** IANA zone the shop's timestamps are written in. Default "Europe/London". */
  timezone?: string;
  /** Currency of customer payloads (orders carry their own). Default "GBP". */
  currency?: string;
}

export const DEFAULT_SHOP: Required<DemoShop> = {
  domain: "cadence-demo.myshopify.com",
  timezone: "Europe/London",
  currency: "GBP",
};

export function shopDefaults(shop: DemoShop | undefined): Required<DemoShop> {
  return { ...DEFAULT_SHOP, ...shop };
}

export function time(date: Date, shop: Required<DemoShop>): string {
  return shopTimestamp(date, shop.timezone);
}

export function moneySet(minor: number, currency: string): PayloadObject {
  const amount = formatMinor(minor, currency);
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

export function gid(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}

export function hex(length: number, ...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0001")).digest("hex").slice(0, length);
}

/** A shop's numeric ID as Shopify shows it in URLs, derived from the domain. */
export function shopNumericId(domain: string): number {
  return 50_000_000 + (parseInt(hex(8, "shop", domain), 16) % 9_000_000_000);
}

export function staffUserId(domain: string): number {
  return 80_000_000 + (parseInt(hex(8, "staff", domain), 16) % 900_000_000);
}

export const PLACEHOLDER = {
  firstName: "Demo",
  lastName: (ordinal: number) => `Shopper ${ordinal}`,
  email: (ordinal: number) => `customer-${ordinal}@example.com`,
  guestEmail: (orderNumber: number) => `guest-${orderNumber}@example.com`,
  // Ofcom reserves 07700 900000–900999 for fiction.
  phone: (ordinal: number) => `+447700900${String(ordinal % 1000).padStart(3, "0")}`,
  address1: "1 Example Road",
  city: "Exampleton",
  zip: "ZZ99 9ZZ",
  // TEST-NET-1, reserved for documentation.
  browserIp: (n: number) => `192.0.2.${(n % 254) + 1}`,
} as const;

export function customerPhone(customer: Customer): string | null {
  return customer.smsMarketing === "subscribed" ? PLACEHOLDER.phone(customer.ordinal) : null;
}

/** An order's billing or shipping address: same keys as Shopify's sample, placeholder values. */
export function orderAddress(lastName: string, phone: string | null): PayloadObject {
  return {
    first_name: PLACEHOLDER.firstName,
    address1: PLACEHOLDER.address1,
    phone,
    city: PLACEHOLDER.city,
    zip: PLACEHOLDER.zip,
    province: "England",
    country: "United Kingdom",
    last_name: lastName,
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name: `${PLACEHOLDER.firstName} ${lastName}`,
    country_code: "GB",
    province_code: "ENG",
  };
}

export function addressId(customer: Customer): bigint {
  return 9_300_000_000_000n + BigInt(customer.ordinal) * 17n;
}

export function defaultAddress(customer: Customer): PayloadObject {
  const lastName = PLACEHOLDER.lastName(customer.ordinal);
  return {
    id: addressId(customer),
    customer_id: BigInt(customer.id),
    first_name: PLACEHOLDER.firstName,
    last_name: lastName,
    company: null,
    address1: PLACEHOLDER.address1,
    address2: null,
    city: PLACEHOLDER.city,
    province: "England",
    country: "United Kingdom",
    zip: PLACEHOLDER.zip,
    phone: customerPhone(customer),
    name: `${PLACEHOLDER.firstName} ${lastName}`,
    province_code: "ENG",
    country_code: "GB",
    country_name: "United Kingdom",
    default: true,
  };
}
