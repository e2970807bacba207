/**
 * How far Intercom's clock is from ours, from the `Date` header of its answers. A `Date` of D
 * (whole seconds) was stamped at some server time in [D, D + 1 s), between our send and our
 * receipt, so each answer bounds the offset to [D - received, D + 1 s - sent]; the bounds of
 * all answers intersect. When they stop intersecting, one of the clocks stepped: start again
 * from the newest answer.
 */
export class ClockOffset {
  private lo = -Infinity;
  private hi = Infinity;

  observe(date: string | undefined, sentAt: number, receivedAt: number): void {
    const stamped = date === undefined ? NaN : Date.parse(date);
    if (!Number.isFinite(stamped)) return;
    const lo = stamped - receivedAt;
    const hi = stamped + 1000 - sentAt;
    if (lo > this.hi || hi < this.lo) {
      this.lo = lo;
      this.hi = hi;
    } else {
      this.lo = Math.max(this.lo, lo);
      this.hi = Math.min(this.hi, hi);
    }
  }

  get known(): boolean {
    return Number.isFinite(this.lo);
  }

  /** The least Intercom's clock can be ahead of ours: waiting by it never sends early. */
  get lowerMs(): number {
    return this.known ? this.lo : 0;
  }

  /** The best single estimate, for reports and for placing an answer in Intercom's time. */
  get estimateMs(): number {
    return this.known ? Math.round((this.lo + this.hi) / 2) : 0;
  }
}
