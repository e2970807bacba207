/**
 * Intercom's rate limit: a per-minute allowance enforced in fixed 10-second windows.
 * `X-RateLimit-Limit` is the per-window number, `X-RateLimit-Reset` the window's end in epoch
 * seconds, as `intercom-api-notes.md` describes the real API.
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

  constructor(public perMinute: number) {}

  get perWindow(): number {
    return Math.max(1, Math.round(this.perMinute / (60_000 / WINDOW_MS)));
  }

  take(nowMs: number): RateLimitState {
    const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    const limit = this.perWindow;
    const allowed = this.used < limit;
    if (allowed) this.used++;
    return { allowed, limit, remaining: limit - this.used, reset: (start + WINDOW_MS) / 1000 };
  }
}
