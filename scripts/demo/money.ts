// Integer minor units to Shopify's decimal strings ("404.95"), without floating-point arithmetic.

const exponents = new Map<string, number>();

/** Digits after the decimal point for a currency (JPY 0, GBP 2, KWD 3), as ICU knows them. */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    exponents.set(currency, exponent);
  }
  return exponent;
}

export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an integer amount of minor units`);
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minor).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${minor < 0 ? "-" : ""}${whole}${fraction}`;
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
