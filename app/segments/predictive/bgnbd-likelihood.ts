// BG/NBD log-likelihood and its analytic gradient (Fader, Hardie & Lee 2005, eq. 6), on customers grouped by
// identical (x, t_x, T). What makes 200,000 customers fast: ln Γ(r+x) − ln Γ(r) and the beta-function ratio
// depend on x only, so they are summed once per x value; ln(α+T) and ln(α+t_x) are computed once per distinct
// T and t_x; each customer row then costs one exp and one log1p.

/** BG/NBD parameters: purchase rate λ ~ Gamma(r, α) (α in the model's time unit), dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** The (x, t_x, T) of one customer, in the model's time unit. */
export interface RecencyFrequency {
  x: number;
  tx: number;
  T: number;
}

/** Customers grouped for the likelihood; built once per fit by `groupCustomers`. */
export interface GroupedCustomers {
  /** Total number of customers (sum of weights). */
  customers: number;
  /** weightAbove[j] = customers with x > j, j = 0 … maxX − 1. */
  weightAbove: Float64Array;
  /** Distinct T values of the one-time buyers (x = 0) and their weights. */
  zeroT: Float64Array;
  zeroWeight: Float64Array;
  /** Repeat buyers: x, index into `distinctT` and `distinctTx`, and weight per distinct (x, t_x, T). */
  rowX: Int32Array;
  rowT: Int32Array;
  rowTx: Int32Array;
  rowWeight: Float64Array;
  distinctT: Float64Array;
  distinctTx: Float64Array;
}

/** Throws a RangeError unless x is a whole number ≥ 0 and 0 ≤ t_x ≤ T (finite). */
export function checkCustomer(c: RecencyFrequency): void {
  if (!(Number.isInteger(c.x) && c.x >= 0 && c.tx >= 0 && c.T >= c.tx && Number.isFinite(c.T))) {
    throw new RangeError(
      `invalid recency/frequency (x=${c.x}, t_x=${c.tx}, T=${c.T}): need integer x ≥ 0 and 0 ≤ t_x ≤ T`,
    );
  }
}

function distinctSorted(values: Float64Array): Float64Array {
  const sorted = values.slice().sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (n === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

function indexIn(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Run-length counts of a sorted array: the distinct values and how often each occurs.
function runLengths(sorted: Float64Array): { values: Float64Array; counts: Float64Array } {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && sorted[i] === values[values.length - 1]) counts[counts.length - 1]! += 1;
    else {
      values.push(sorted[i]!);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/**
 * Groups customers by identical (x, t_x, T). Sorting numeric codes rather than hashing keys: several times faster
 * than a Map of composite keys on a large shop (bench:segment).
 */
export function groupCustomers(customers: ArrayLike<RecencyFrequency>): GroupedCustomers {
  let repeaters = 0;
  let maxX = 0;
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i]!;
    checkCustomer(c);
    if (c.x > 0) repeaters++;
    if (c.x > maxX) maxX = c.x;
  }
  const xs = new Int32Array(repeaters);
  const ts = new Float64Array(repeaters);
  const txs = new Float64Array(repeaters);
  const zeroTs = new Float64Array(customers.length - repeaters);
  const xCount = new Float64Array(maxX + 1);
  for (let i = 0, r = 0, z = 0; i < customers.length; i++) {
    const c = customers[i]!;
    xCount[c.x]! += 1;
    if (c.x === 0) zeroTs[z++] = c.T;
    else {
      xs[r] = c.x;
      ts[r] = c.T;
      txs[r++] = c.tx;
    }
  }
  const distinctT = distinctSorted(ts);
  const distinctTx = distinctSorted(txs);
  const nT = distinctT.length;
  const nTx = distinctTx.length;
  if ((maxX + 1) * nT * nTx > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`too many distinct (x, t_x, T) combinations to group (${maxX} × ${nT} × ${nTx})`);
  }
  const keys = new Float64Array(repeaters);
  for (let r = 0; r < repeaters; r++)
    keys[r] = (xs[r]! * nT + indexIn(distinctT, ts[r]!)) * nTx + indexIn(distinctTx, txs[r]!);
  const rows = runLengths(keys.sort());
  const rowX = new Int32Array(rows.values.length);
  const rowT = new Int32Array(rows.values.length);
  const rowTx = new Int32Array(rows.values.length);
  rows.values.forEach((key, i) => {
    rowTx[i] = key % nTx;
    const rest = (key - rowTx[i]!) / nTx;
    rowT[i] = rest % nT;
    rowX[i] = (rest - rowT[i]!) / nT;
  });
  const weightAbove = new Float64Array(maxX);
  let above = customers.length;
  for (let j = 0; j < maxX; j++) {
    above -= xCount[j]!;
    weightAbove[j] = above;
  }
  const zero = runLengths(zeroTs.sort());
  return {
    customers: customers.length,
    weightAbove,
    zeroT: zero.values,
    zeroWeight: zero.counts,
    rowX,
    rowT,
    rowTx,
    rowWeight: rows.counts,
    distinctT,
    distinctTx,
  };
}

/**
 * A deterministic subsample of about `rows` repeat-buyer rows (every k-th), reweighted so the sample still stands
 * for all customers; one-time buyers are kept whole. Used to screen starting points cheaply on large shops.
 */
export function subsampleGroups(data: GroupedCustomers, rows: number): GroupedCustomers {
  const stride = Math.ceil(data.rowX.length / rows);
  if (stride <= 1) return data;
  const keep: number[] = [];
  for (let i = 0; i < data.rowX.length; i += stride) keep.push(i);
  let fullWeight = 0;
  for (const w of data.rowWeight) fullWeight += w;
  let keptWeight = 0;
  for (const i of keep) keptWeight += data.rowWeight[i]!;
  const scale = fullWeight / keptWeight;
  const xCount = new Float64Array(data.weightAbove.length + 1);
  for (const i of keep) xCount[data.rowX[i]!]! += data.rowWeight[i]! * scale;
  const weightAbove = new Float64Array(data.weightAbove.length);
  let above = fullWeight;
  for (let j = 1; j <= weightAbove.length; j++) {
    weightAbove[j - 1] = above;
    above -= xCount[j]!;
  }
  return {
    ...data,
    weightAbove,
    rowX: Int32Array.from(keep, (i) => data.rowX[i]!),
    rowT: Int32Array.from(keep, (i) => data.rowT[i]!),
    rowTx: Int32Array.from(keep, (i) => data.rowTx[i]!),
    rowWeight: Float64Array.from(keep, (i) => data.rowWeight[i]! * scale),
  };
}

// ln(α + t) and 1/(α + t) for each distinct time t.
function logAndInverse(alpha: number, times: Float64Array): [Float64Array, Float64Array] {
  const logs = new Float64Array(times.length);
  const inverses = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    logs[i] = Math.log(alpha + times[i]!);
    inverses[i] = 1 / (alpha + times[i]!);
  }
  return [logs, inverses];
}

/**
 * Total BG/NBD log-likelihood at `params`, and, when `gradient` is given, its gradient with respect to
 * (ln r, ln α, ln a, ln b) written into it.
 */
export function groupedLogLikelihood(data: GroupedCustomers, params: BgNbdParams, gradient?: Float64Array): number {
  const { r, alpha, a, b } = params;
  const n = data.customers;
  const logAlpha = Math.log(alpha);
  let ll = n * r * logAlpha;
  let dr = n * logAlpha;
  let dAlpha = (n * r) / alpha;
  let da = 0;
  let db = 0;
  // x-only terms: Σ_j W(x > j) [ln(r+j) + ln(b+j) − ln(a+b+j)].
  const above = data.weightAbove;
  for (let j = 0; j < above.length; j++) {
    const w = above[j]!;
    ll += w * (Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j));
    dr += w / (r + j);
    da -= w / (a + b + j);
    db += w * (1 / (b + j) - 1 / (a + b + j));
  }
  for (let i = 0; i < data.zeroT.length; i++) {
    const w = data.zeroWeight[i]!;
    const T = data.zeroT[i]!;
    const logT = Math.log(alpha + T);
    ll -= w * r * logT;
    dr -= w * logT;
    dAlpha -= (w * r) / (alpha + T);
  }
  const [logT, invT] = logAndInverse(alpha, data.distinctT);
  const [logTx, invTx] = logAndInverse(alpha, data.distinctTx);
  const maxX = above.length;
  const logC = new Float64Array(maxX + 1);
  const invB = new Float64Array(maxX + 1);
  const logA = Math.log(a);
  for (let x = 1; x <= maxX; x++) {
    logC[x] = logA - Math.log(b + x - 1);
    invB[x] = 1 / (b + x - 1);
  }
  const { rowX, rowT, rowTx, rowWeight } = data;
  let sumQ = 0;
  // Neumaier-compensated sum: near the optimum the optimiser compares log-likelihoods that differ in the 13th
  // digit, which plain summation over 10⁵ rows would drown in rounding noise.
  let compensation = 0;
  for (let i = 0; i < rowX.length; i++) {
    const x = rowX[i]!;
    const w = rowWeight[i]!;
    const lT = logT[rowT[i]!]!;
    const delta = lT - logTx[rowTx[i]!]!;
    const rx = r + x;
    const z = logC[x]! + rx * delta;
    // One exp serves both ln(1 + e^z) and the logistic weight q = e^z / (1 + e^z) of the gradient.
    const e = z > 35 ? 0 : Math.exp(z);
    const term = w * ((z > 35 ? z : Math.log1p(e)) - rx * lT);
    const next = ll + term;
    compensation += Math.abs(ll) >= Math.abs(term) ? ll - next + term : term - next + ll;
    ll = next;
    if (!gradient) continue;
    const wq = z > 35 ? w : (w * e) / (1 + e);
    const iT = invT[rowT[i]!]!;
    dr += wq * delta - w * lT;
    dAlpha += wq * rx * (iT - invTx[rowTx[i]!]!) - w * rx * iT;
    sumQ += wq;
    db -= wq * invB[x]!;
  }
  ll += compensation;
  if (gradient) {
    da += sumQ / a;
    gradient[0] = dr * r;
    gradient[1] = dAlpha * alpha;
    gradient[2] = da * a;
    gradient[3] = db * b;
  }
  return ll;
}

/** BG/NBD log-likelihood of customers' (x, t_x, T) at `params` (FHL 2005 eq. 6, summed over customers). */
export function bgnbdLogLikelihood(customers: ArrayLike<RecencyFrequency>, params: BgNbdParams): number {
  return groupedLogLikelihood(groupCustomers(customers), params);
}
