import { currencyExponent } from "~/money/decimal";

// Money as the merchant reads it, everywhere (explanations, admin pages, rule descriptions): the shop's currency
// with its own decimals, always ("£545.00", "£342.90", "¥1,200"), so two amounts side by side never look like two
// formats. Locale "en" unless the caller knows the merchant's.

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string, signed: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${signed}`;
  let result = formatters.get(key);
  if (!result) {
    const digits = currencyExponent(currency);
    result = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      ...(signed ? { signDisplay: "exceptZero" as const } : {}),
    });
    formatters.set(key, result);
  }
  return result;
}

export function formatMoney(minor: number, currency: string, locale = "en"): string {
  return formatter(currency, locale, false).format(minor / 10 ** currencyExponent(currency));
}

/** A difference of money, signed ("+£1.20", "−£0.40", "£0.00"). */
export function formatMoneyChange(minor: number, currency: string, locale = "en"): string {
  return formatter(currency, locale, true).format(minor / 10 ** currencyExponent(currency));
}
