// A binary min-heap ordered by (key, tie), so equal keys pop in a fixed order and the merge stays deterministic.

export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly ties: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.values.length;
  }

  push(key: number, tie: number, value: T): void {
    this.keys.push(key);
    this.ties.push(tie);
    this.values.push(value);
    this.up(this.values.length - 1);
  }

  peekKey(): number {
    return this.values.length === 0 ? Infinity : (this.keys[0] as number);
  }

  pop(): T | undefined {
    const count = this.values.length;
    if (count === 0) return undefined;
    const top = this.values[0] as T;
    const lastKey = this.keys.pop() as number;
    const lastTie = this.ties.pop() as number;
    const lastValue = this.values.pop() as T;
    if (count > 1) {
      this.keys[0] = lastKey;
      this.ties[0] = lastTie;
      this.values[0] = lastValue;
      this.down(0);
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const a = this.keys[i] as number;
    const b = this.keys[j] as number;
    return a < b || (a === b && (this.ties[i] as number) < (this.ties[j] as number));
  }

  private swap(i: number, j: number): void {
    const key = this.keys[i] as number;
    this.keys[i] = this.keys[j] as number;
    this.keys[j] = key;
    const tie = this.ties[i] as number;
    this.ties[i] = this.ties[j] as number;
    this.ties[j] = tie;
    const value = this.values[i] as T;
    this.values[i] = this.values[j] as T;
    this.values[j] = value;
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    const count = this.values.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < count && this.less(left, smallest)) smallest = left;
      if (right < count && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
