/**
 * The ids a pass over a window has listed, for the deletion check at its end. Intercom's
 * conversation ids are decimal integers; those are kept as doubles in a growable Float64Array,
 * 8 bytes each, and anything else in a Set: a Set<string> of a large workspace's ids was a
 * visible share of the syncing process's peak memory (docs/performance.md).
 */
const INTEGER_ID = /^(0|[1-9]\d{0,14})$/;

export class SeenIds {
  private numbers = new Float64Array(1024);
  private count = 0;
  private sorted = true;
  private readonly others = new Set<string>();

  add(id: string): void {
    if (!INTEGER_ID.test(id)) {
      this.others.add(id);
      return;
    }
    const n = Number(id);
    if (this.count === this.numbers.length) {
      const grown = new Float64Array(this.count * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    if (this.count > 0 && n < this.numbers[this.count - 1]!) this.sorted = false;
    this.numbers[this.count++] = n;
  }

  has(id: string): boolean {
    if (!INTEGER_ID.test(id)) return this.others.has(id);
    if (!this.sorted) {
      this.numbers.subarray(0, this.count).sort();
      this.sorted = true;
    }
    const n = Number(id);
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.numbers[mid]!;
      if (v === n) return true;
      if (v < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
