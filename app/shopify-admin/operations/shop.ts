// What install needs to know about the shop: its currency (Cadence stores money in it) and IANA time zone (day
// boundaries for cohorts and schedules).
import { defineOperation } from "../operation";

export interface ShopInfo {
  id: string;
  currencyCode: string;
  ianaTimezone: string;
  myshopifyDomain: string;
}

export const SHOP_INFO = defineOperation<{ shop: ShopInfo }>(
  `query ShopInfo {
  shop {
    id
    currencyCode
    ianaTimezone
    myshopifyDomain
  }
}`,
  { estimatedCost: 1 },
);
