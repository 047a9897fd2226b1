import { currencyExponent } from "~/money/decimal";

// Money in explanations: the shop's currency, whole amounts without decimals ("£1,240"), others with the
// currency's own decimals ("£12.50"). Locale "en" unless the caller knows the merchant's.

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string, fractionDigits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${fractionDigits}`;
  let result = formatters.get(key);
  if (!result) {
    result = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    formatters.set(key, result);
  }
  return result;
}

export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const exponent = currencyExponent(currency);
  const scale = 10 ** exponent;
  const whole = minor % scale === 0;
  return formatter(currency, locale, whole ? 0 : exponent).format(minor / scale);
}
