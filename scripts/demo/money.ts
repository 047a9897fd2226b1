// Integer minor units to Shopify's decimal strings ("404.95"), without floating-point arithmetic: the app's own
// conversion (app/money/decimal.ts), so generated payloads and ingest agree on every currency's exponent.
import { currencyExponent, minorToDecimal } from "../../app/money/decimal.ts";

export { currencyExponent };

export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an integer amount of minor units`);
  return minorToDecimal(minor, currency);
}

/** The JSON number Shopify uses in a few places (refund line subtotal): exact for any minor amount. */
export function minorToNumber(minor: number, currency: string): number {
  return Number(formatMinor(minor, currency));
}

/**
 * Converts a catalogue price written in pounds to minor units of the shop currency. Currencies without minor
 * units get a rough exchange rate so a bag of coffee is not ¥14.
 */
export function catalogueMinor(pounds: number, currency: string): number {
  const exponent = currencyExponent(currency);
  const rate = exponent === 0 ? 190 : 1;
  return Math.round(pounds * rate * 10 ** exponent);
}
