import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { currencyExponent, decimalToMinor, minorToDecimal } from "~/money/decimal";

describe("money in minor units", () => {
  test("currency exponents come from ICU", () => {
    expect(currencyExponent("GBP")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
  });

  test("Shopify's decimal strings become exact minor units", () => {
    expect(decimalToMinor("404.95", "USD")).toBe(40495);
    expect(decimalToMinor("0.1", "GBP")).toBe(10);
    expect(decimalToMinor("1200", "JPY")).toBe(1200);
    expect(decimalToMinor("-3.50", "EUR")).toBe(-350);
    expect(decimalToMinor("12.345", "KWD")).toBe(12345);
  });

  test("extra digits round half away from zero", () => {
    expect(decimalToMinor("1.005", "USD")).toBe(101);
    expect(decimalToMinor("1.004", "USD")).toBe(100);
    expect(decimalToMinor("-1.005", "USD")).toBe(-101);
  });

  test("numbers are read through their decimal text, not float arithmetic", () => {
    expect(decimalToMinor(0.1 + 0.2, "USD")).toBe(30);
    expect(decimalToMinor(19.99, "GBP")).toBe(1999);
  });

  test("what is not an amount is refused with the text in the message", () => {
    expect(() => decimalToMinor("12,50", "EUR")).toThrow(/"12,50" is not a decimal amount/);
    expect(() => decimalToMinor("", "EUR")).toThrow(RangeError);
    expect(() => decimalToMinor(".", "EUR")).toThrow(RangeError);
  });

  test("minor units print with the currency's digits", () => {
    expect(minorToDecimal(40495, "USD")).toBe("404.95");
    expect(minorToDecimal(5, "GBP")).toBe("0.05");
    expect(minorToDecimal(-5n, "GBP")).toBe("-0.05");
    expect(minorToDecimal(1200, "JPY")).toBe("1200");
    expect(minorToDecimal(90071992547409930n, "USD")).toBe("900719925474099.30");
  });

  test("printing and reading are inverse for every amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD"), (minor, currency) => {
        expect(decimalToMinor(minorToDecimal(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});
