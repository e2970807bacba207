/**
 * A table from term hashes (customer-terms.ts) to integers, in two typed arrays: themes count the
 * terms of tens of thousands of conversations per answer, and a `Map` keyed by numbers past 2^31
 * allocates a heap number per key and per lookup, most of such an answer's time. Open addressing
 * with linear probing; the hashes are already uniform (md5), so their low bits pick the slot.
 */
const EMPTY = -1;
const LOW = 2 ** 24;

export class HashTable {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let slots = 1024;
    while (slots < expected * 2) slots *= 2;
    this.keys = new Float64Array(slots).fill(EMPTY);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The slot holding `hash`, or the empty slot where it would go. */
  private slot(hash: number): number {
    // `%` on a number past 2^31 is a call to fmod: the high part is taken by division instead.
    const high = Math.floor(hash / LOW);
    let i = (hash - high * LOW) & this.mask;
    for (;;) {
      const key = this.keys[i]!;
      if (key === hash || key === EMPTY) return i;
      i = (i + 1) & this.mask;
    }
  }

  get(hash: number): number | undefined {
    const i = this.slot(hash);
    return this.keys[i] === EMPTY ? undefined : this.values[i];
  }

  has(hash: number): boolean {
    return this.keys[this.slot(hash)] !== EMPTY;
  }

  set(hash: number, value: number): void {
    const i = this.slot(hash);
    if (this.keys[i] === EMPTY) this.insert(i, hash, value);
    else this.values[i] = value;
  }

  /** Adds one to the value of `hash`, which starts at 0 (only if present: `existing`). */
  increment(hash: number, existing = false): void {
    const i = this.slot(hash);
    if (this.keys[i] !== EMPTY) this.values[i]!++;
    else if (!existing) this.insert(i, hash, 1);
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.keys.length; i++)
      if (this.keys[i] !== EMPTY) yield [this.keys[i]!, this.values[i]!];
  }

  private insert(i: number, hash: number, value: number): void {
    this.keys[i] = hash;
    this.values[i] = value;
    if (++this.size * 2 > this.keys.length) this.grow();
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== EMPTY) {
        const j = this.slot(keys[i]!);
        this.keys[j] = keys[i]!;
        this.values[j] = values[i]!;
      }
  }
}
