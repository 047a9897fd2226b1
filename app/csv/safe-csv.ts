import { stringify } from "csv-stringify/sync";

// The one way Cadence writes CSV (admin segment exports, `cadence export`, the segment CLI's customers.csv, the demo's
// transaction logs). Cells come from shoppers and merchants (product types arrive in order webhooks, tier names are
// typed by the merchant), and a spreadsheet runs a text cell that starts with =, +, -, @, tab or carriage return as a
// formula (OWASP "CSV Injection"). So a text cell with such a start gets a leading apostrophe, which spreadsheets
// read as "this is text" and do not show, and every text cell is quoted, so a list cell such as "Shoes;=1+2" stays one
// cell even where the spreadsheet splits on semicolons. Numbers stay numbers: a JavaScript number, a bigint, or a
// string that is exactly a decimal number (money is written as "-12.50", so a refund stays a negative amount).
//
// csv-stringify's own `escape_formulas` is not used: it treats the string "-12.50" as text and would prefix it.

export type CsvValue = string | number | bigint | boolean | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula; the full-width forms are read the same way by some. */
const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"]);

/** A plain decimal number: what a spreadsheet reads as a number, never as a formula. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The text a cell holds once neutralised: an apostrophe before a formula start, unless the text is a number. */
export function neutraliseCell(text: string): string {
  if (text === "" || DECIMAL.test(text)) return text;
  return FORMULA_START.has(text[0]!) ? `'${text}` : text;
}

const castText = (text: string) => (DECIMAL.test(text) ? text : { value: neutraliseCell(text), quoted: true });

const OPTIONS = {
  cast: {
    string: castText,
    boolean: (value: boolean) => (value ? "true" : "false"),
  },
  // Values reaching the writer are strings, numbers or nulls; a Date would be written in an ambiguous local format.
  eof: true,
} as const;

/** Rows of cells as CSV text, each row ending in a newline. */
export function csvRows(rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  return stringify(rows as CsvValue[][], OPTIONS);
}

/** A header row: Cadence's own column names, written as they are. */
export function csvHeader(columns: readonly string[]): string {
  return stringify([columns as string[]]);
}

/** Records as CSV under a header, the cells taken in the header's order. */
export function csvRecords(columns: readonly string[], records: ReadonlyArray<Record<string, CsvValue>>): string {
  return csvHeader(columns) + csvRows(records.map((record) => columns.map((column) => record[column])));
}
