// Every customer's purchase occasions packed into three typed arrays, so a shop's history can be cut at any earlier
// date for a backtest: ~12 bytes per purchase day (a million orders ≈ 12 MB), no object per purchase.

/** Purchase occasions of one customer as of a cut-off day, in days (the models' unit is applied later). */
export interface CustomerAtCut {
  /** Repeat purchase days before or on the cut (purchase days − 1). */
  x: number;
  firstDay: number;
  lastDay: number;
  /** The cut-off day itself. */
  asOfDay: number;
  /** Mean value of the repeat purchase days (0 when x = 0). */
  monetary: number;
}

export class PurchaseHistory {
  constructor(
    /** customer i owns entries starts[i] … starts[i+1] − 1, days ascending and distinct. */
    readonly starts: Int32Array,
    readonly days: Int32Array,
    readonly values: Float64Array,
  ) {}

  get customers(): number {
    return this.starts.length - 1;
  }

  /** The shop's first purchase day (Infinity when empty). */
  firstDay(): number {
    let first = Infinity;
    for (let i = 0; i < this.customers; i++)
      if (this.starts[i + 1]! > this.starts[i]!) first = Math.min(first, this.days[this.starts[i]!]!);
    return first;
  }

  /** Customer i as of `cut` (inclusive), or null when their first purchase is after it. */
  at(i: number, cut: number): CustomerAtCut | null {
    const from = this.starts[i]!;
    const to = this.starts[i + 1]!;
    if (to === from || this.days[from]! > cut) return null;
    let last = from;
    let repeatValue = 0;
    for (let k = from + 1; k < to && this.days[k]! <= cut; k++) {
      last = k;
      repeatValue += this.values[k]!;
    }
    const x = last - from;
    return {
      x,
      firstDay: this.days[from]!,
      lastDay: this.days[last]!,
      asOfDay: cut,
      monetary: x > 0 ? repeatValue / x : 0,
    };
  }

  /** Purchase days of customer i in (from, to]. */
  countBetween(i: number, from: number, to: number): number {
    let n = 0;
    for (let k = this.starts[i]!; k < this.starts[i + 1]!; k++) {
      const day = this.days[k]!;
      if (day > to) break;
      if (day > from) n++;
    }
    return n;
  }

  /** Days of every repeat purchase occasion (each customer's first left out), for the seasonal index. */
  repeatDays(): Int32Array {
    const out = new Int32Array(this.days.length - this.customers + countEmpty(this.starts));
    let n = 0;
    for (let i = 0; i < this.customers; i++)
      for (let k = this.starts[i]! + 1; k < this.starts[i + 1]!; k++) out[n++] = this.days[k]!;
    return out.subarray(0, n);
  }
}

function countEmpty(starts: Int32Array): number {
  let empty = 0;
  for (let i = 0; i + 1 < starts.length; i++) if (starts[i + 1] === starts[i]) empty++;
  return empty;
}

/** Collects customers one at a time (their occasions in day order), growing the arrays as needed. */
export class PurchaseHistoryBuilder {
  private starts = new Int32Array(1024);
  private days = new Int32Array(4096);
  private values = new Float64Array(4096);
  private count = 0;
  private length = 0;

  /** Adds one customer: distinct purchase days in ascending order and each day's value. */
  add(occasions: ArrayLike<{ day: number; value: number }>): void {
    if (this.count + 2 > this.starts.length) this.starts = grow(this.starts, this.starts.length * 2);
    if (this.length + occasions.length > this.days.length) {
      const size = Math.max(this.days.length * 2, this.length + occasions.length);
      this.days = grow(this.days, size);
      this.values = grow(this.values, size);
    }
    for (let k = 0; k < occasions.length; k++) {
      const { day, value } = occasions[k]!;
      if (k > 0 && !(day > this.days[this.length - 1]!))
        throw new RangeError("purchase occasions must be distinct days in ascending order");
      this.days[this.length] = day;
      this.values[this.length++] = value;
    }
    this.starts[++this.count] = this.length;
  }

  build(): PurchaseHistory {
    return new PurchaseHistory(
      this.starts.slice(0, this.count + 1),
      this.days.slice(0, this.length),
      this.values.slice(0, this.length),
    );
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
