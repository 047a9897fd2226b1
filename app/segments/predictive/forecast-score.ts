// How good a forecast of a horizon was, once the horizon has happened: the merchant's two questions (how many
// orders came compared with what was expected; whether the customers ranked most likely to return were the ones who
// did) and the statistician's (calibration by decile, error per customer, Poisson deviance, the proper score the
// model choice uses). Hand-written: a rank sum and a few running totals.

/** One tenth of the customers, ranked by their predicted chance of returning (decile 1 = least likely). */
export interface CalibrationDecile {
  decile: number;
  customers: number;
  /** Σ predicted chance of at least one order, and how many did order. */
  expectedReturning: number;
  actualReturning: number;
  /** Σ expected orders, and the orders that came. */
  expectedOrders: number;
  actualOrders: number;
}

export interface ForecastScore {
  customers: number;
  /** Σ expected purchase days in the horizon, and the purchase days that came. */
  expectedOrders: number;
  actualOrders: number;
  /** (expected − actual) / actual; null when nothing came. */
  relativeError: number | null;
  /** Customers with at least one purchase day in the horizon. */
  returningCustomers: number;
  /** P(a returning customer ranks above one who did not return), ties counted half; null without both kinds. */
  auc: number | null;
  /** Mean |expected − actual| per customer. */
  meanAbsoluteError: number;
  /** Mean Poisson deviance per customer: 2 [y ln(y/ŷ) − (y − ŷ)]. Lower is better. */
  meanDeviance: number;
  calibration: CalibrationDecile[];
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney) statistic, ties averaged. */
export function areaUnderCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (positive[order[k]!]) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Scores per-customer forecasts (expected purchase days, chance of at least one) against what happened. */
export function scoreForecast(
  expected: ArrayLike<number>,
  probability: ArrayLike<number>,
  actual: ArrayLike<number>,
): ForecastScore {
  const n = actual.length;
  let expectedOrders = 0;
  let actualOrders = 0;
  let returning = 0;
  let absolute = 0;
  let deviance = 0;
  const returned = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const e = Math.max(expected[i]!, 1e-12);
    const y = actual[i]!;
    expectedOrders += expected[i]!;
    actualOrders += y;
    returned[i] = y > 0;
    if (y > 0) returning++;
    absolute += Math.abs(expected[i]! - y);
    deviance += 2 * ((y > 0 ? y * Math.log(y / e) : 0) - (y - e));
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probability[a]! - probability[b]!);
  const calibration: CalibrationDecile[] = [];
  for (let d = 0; d < 10 && n > 0; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    const decile = {
      decile: d + 1,
      customers: to - from,
      expectedReturning: 0,
      actualReturning: 0,
      expectedOrders: 0,
      actualOrders: 0,
    };
    for (let k = from; k < to; k++) {
      const i = order[k]!;
      decile.expectedReturning += probability[i]!;
      decile.actualReturning += returned[i] ? 1 : 0;
      decile.expectedOrders += expected[i]!;
      decile.actualOrders += actual[i]!;
    }
    calibration.push(decile);
  }
  return {
    customers: n,
    expectedOrders,
    actualOrders,
    relativeError: actualOrders > 0 ? (expectedOrders - actualOrders) / actualOrders : null,
    returningCustomers: returning,
    auc: areaUnderCurve(probability, returned),
    meanAbsoluteError: n > 0 ? absolute / n : 0,
    meanDeviance: n > 0 ? deviance / n : 0,
    calibration,
  };
}
