// Small descriptive statistics over plain arrays; kept here so every module computes them the same way.

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of no values");
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
