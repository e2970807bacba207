/**
 * Intercom's rate limit: a per-minute allowance enforced in fixed 10-second windows.
 * `X-RateLimit-Limit` is the per-window number, `X-RateLimit-Reset` the window's end in epoch
 * seconds, as `intercom-api-notes.md` describes the real API.
 *
 * All apps of a workspace share its allowance. The "neighbour app" stands for them: it spends
 * `neighbourShare` of every window in calls spread evenly across it, each served only while the
 * window has room, so a client that takes everything early starves it, and one that reads
 * `Remaining` without expecting it overshoots.
 */
export const WINDOW_MS = 10_000;

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  reset: number;
}

export class RateLimiter {
  private windowStart = 0;
  private used = 0;
  private neighbourCalls = 0;
  neighbourShare = 0;
  readonly neighbour = { served: 0, refused: 0 };

  constructor(public perMinute: number) {}

  get perWindow(): number {
    return Math.max(1, Math.round(this.perMinute / (60_000 / WINDOW_MS)));
  }

  take(nowMs: number): RateLimitState {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    const limit = this.perWindow;
    if (start !== this.windowStart) {
      if (this.windowStart !== 0) this.settleNeighbour(this.windowStart + WINDOW_MS, limit);
      this.windowStart = start;
      this.used = 0;
      this.neighbourCalls = 0;
    }
    this.settleNeighbour(nowMs, limit);
    const allowed = this.used < limit;
    if (allowed) this.used++;
    return { allowed, limit, remaining: limit - this.used, reset: (start + WINDOW_MS) / 1000 };
  }

  /** The neighbour's calls due by `untilMs` in the current window, in order, each where room is left. */
  private settleNeighbour(untilMs: number, limit: number): void {
    const planned = Math.round(this.neighbourShare * limit);
    if (planned === 0) return;
    const due = Math.min(planned, Math.floor(((untilMs - this.windowStart) / WINDOW_MS) * planned));
    for (; this.neighbourCalls < due; this.neighbourCalls++) {
      if (this.used < limit) {
        this.used++;
        this.neighbour.served++;
      } else {
        this.neighbour.refused++;
      }
    }
  }
}
