/**
 * Paces requests from Intercom's rate-limit headers so that a normal sync never receives a 429:
 * before each request it checks the calls left in the current 10-second window, minus those
 * already in flight, and waits for the window's reset when none are left.
 */
export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** Window end, epoch milliseconds. */
  resetAt: number;
}

export function readRateLimitHeaders(
  header: (name: string) => string | undefined,
): RateLimitHeaders | undefined {
  const limit = Number(header('x-ratelimit-limit'));
  const remaining = Number(header('x-ratelimit-remaining'));
  const reset = Number(header('x-ratelimit-reset'));
  if (header('x-ratelimit-remaining') === undefined || !Number.isFinite(remaining) || !Number.isFinite(reset))
    return undefined;
  return { limit, remaining, resetAt: reset * 1000 };
}

/** A wait that ends early, with the signal's reason, when the caller gives up. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export class RatePacer {
  private window: RateLimitHeaders | undefined;
  private inFlight = 0;
  /** Time spent waiting for a window to reset, for the sync's report. */
  waitedMs = 0;

  /** @param marginMs slack after the announced reset, for clock skew between us and Intercom. */
  constructor(private readonly marginMs = 250) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const w = this.window;
      const now = Date.now();
      if (!w || now >= w.resetAt + this.marginMs || w.remaining - this.inFlight > 0) break;
      const wait = w.resetAt + this.marginMs - now;
      this.waitedMs += wait;
      await sleep(wait, signal);
    }
    this.inFlight++;
  }

  release(headers: RateLimitHeaders | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (!headers) return;
    const w = this.window;
    // Responses arrive out of order: within one window the lowest "remaining" is the truth.
    if (!w || headers.resetAt > w.resetAt) this.window = headers;
    else if (headers.resetAt === w.resetAt) w.remaining = Math.min(w.remaining, headers.remaining);
  }

  /** After a 429: nothing is left until the reset. */
  exhausted(headers: RateLimitHeaders | undefined, fallbackMs: number): void {
    this.window = headers
      ? { ...headers, remaining: 0 }
      : { limit: 0, remaining: 0, resetAt: Date.now() + fallbackMs };
  }

  get limitPerWindow(): number | undefined {
    return this.window?.limit;
  }
}
