// Money in Cadence is integer minor units in the shop currency. Conversions to and from Shopify's decimal strings
// go through strings, never through floating-point arithmetic.

const exponentCache = new Map<string, number>();

export function currencyExponent(currency: string): number {
  let exponent = exponentCache.get(currency);
  if (exponent === undefined) {
    try {
      exponent =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    exponentCache.set(currency, exponent);
  }
  return exponent;
}

export function decimalToMinor(amount: string | number, currency: string): number {
  const text = typeof amount === "number" ? amount.toFixed(currencyExponent(currency)) : amount.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === "" && !match[3])) throw new RangeError(`"${text}" is not a decimal amount`);
  const exponent = currencyExponent(currency);
  const whole = match[2] || "0";
  const fraction = (match[3] ?? "").padEnd(exponent, "0");
  // Rounds half away from zero when Shopify sends more digits than the currency has.
  const kept = fraction.slice(0, exponent);
  const roundUp = fraction.length > exponent && Number(fraction[exponent]) >= 5;
  const minor = Number(whole) * 10 ** exponent + Number(kept || "0") + (roundUp ? 1 : 0);
  return match[1] ? -minor : minor;
}

export function minorToDecimal(minor: number | bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}
