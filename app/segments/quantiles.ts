// Quantiles by the nearest-rank method: the q-quantile of n sorted values is the value at rank ⌈q·n⌉ (1-based).
// Every quantile is an observed value (no interpolation), so "top 20%" cut-offs are amounts customers really
// have, and equal values always fall on the same side of a cut-off.

export function nearestRank(sortedAscending: ArrayLike<number>, q: number): number {
  const n = sortedAscending.length;
  if (n === 0) throw new RangeError("quantile of no values");
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  return sortedAscending[rank - 1] as number;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}
