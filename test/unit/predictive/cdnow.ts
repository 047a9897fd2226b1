// Loads the CDNOW sample (../shared/data/cdnow, Fader, Hardie & Lee 2005) for the predictive-model tests.
import { readFileSync } from "node:fs";
import type { CustomerPurchase } from "~/segments/predictive/index.ts";
import { sharedDataPath } from "../../support/shared-data";

const DIR = sharedDataPath("cdnow");

/**
 * CDNOW_sample.txt: master id, sample id (1–2357), YYYYMMDD, CDs, dollars; customer ids are the sample ids.
 * CDNOW_master.txt (the whole 23,570-customer cohort): id, YYYYMMDD, CDs, dollars, after a header line.
 */
export function cdnowPurchases(file: "CDNOW_sample.txt" | "CDNOW_master.txt" = "CDNOW_sample.txt"): CustomerPurchase[] {
  return readFileSync(`${DIR}/${file}`, "utf8")
    .trim()
    .split(/\r?\n/)
    .filter((line) => /^\s*\d/.test(line))
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const [, id, day, , dollars] = file === "CDNOW_sample.txt" ? fields : ["", ...fields];
      return {
        customerId: String(Number(id)),
        date: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}`,
        amount: Number(dollars),
      };
    });
}

export interface PublishedSummaryRow {
  id: string;
  x: number;
  tx: string;
  T: string;
  zbar?: number;
}

/** Rows of a published summary CSV, with t_x and T kept as the file's text (two decimals). */
export function cdnowSummaryCsv(
  file: "cdnow_customers_summary.csv" | "cdnow_customers_summary_with_transactions.csv",
): PublishedSummaryRow[] {
  return readFileSync(`${DIR}/${file}`, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [id, x, tx, T, zbar] = line.split(",");
      return { id: id!, x: Number(x), tx: tx!, T: T!, ...(zbar === undefined ? {} : { zbar: Number(zbar) }) };
    });
}

export const cdnowReference = JSON.parse(readFileSync(`${DIR}/reference_values.json`, "utf8")) as {
  bg_nbd: {
    published: { r: number; alpha: number; a: number; b: number; log_likelihood: number };
    full_precision_mle_clvtools: { r: number; alpha: number; a: number; b: number; log_likelihood: number };
    checks_from_lifetimes_tests: {
      conditional_expected_purchases: {
        t: number;
        x: number;
        t_x: number;
        T: number;
        expected: number;
        tolerance: number;
      };
      expected_purchases_new_customer: { t: number[]; expected: number[]; decimal_places: number };
      prob_n_purchases_params_published: { "P(X(2)=10)": number; "P(X(39)=0)": number };
    };
  };
  gamma_gamma: {
    published: { p: number; q: number; gamma: number };
    clvtools_log_likelihood: number;
    checks_from_lifetimes_tests: { conditional_expected_average_profit_first10_customers: number[]; tolerance: number };
  };
};
