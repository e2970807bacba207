/**
 * Paces requests by Intercom's rate-limit headers so that a sync never receives a 429: each call
 * asks `Pacing` whether it may go, and waits (for a window's reset, after a 429, or for the call
 * that is finding out what a new window holds) until it may. Waits end early when the caller
 * gives up.
 */
import {
  DEFAULT_PACING,
  Pacing,
  type PacingConfig,
  type RateLimitHeaders,
  type Ticket,
  type WaitReason,
} from './pacing.js';

export { readRateLimitHeaders, type RateLimitHeaders, type Ticket } from './pacing.js';

export interface PacerWait {
  ms: number;
  reason: WaitReason;
  /** The reset header asked for longer than the longest wait: the pacer will ask again instead. */
  capped: boolean;
}

/** Resolves after `ms`, or when `wake` resolves first; rejects with the signal's reason on abort. */
export function pause(ms: number, signal?: AbortSignal, wake?: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, Math.max(0, ms));
    void wake?.then(done);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export class RatePacer {
  private readonly pacing: Pacing;
  private wake!: Promise<void>;
  private wakeAll!: () => void;
  /** The end of the wait last announced: concurrent callers waiting for the same reset announce it once. */
  private announcedUntil = 0;
  /** Time spent waiting on the rate limit, counted once however many calls waited together. */
  waitedMs = 0;

  constructor(
    private readonly onWait?: (wait: PacerWait) => void,
    config: PacingConfig = DEFAULT_PACING,
  ) {
    this.pacing = new Pacing(config);
    this.rearm();
  }

  private rearm(): void {
    this.wake = new Promise((resolve) => (this.wakeAll = resolve));
  }

  async acquire(signal?: AbortSignal): Promise<Ticket> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      const decision = this.pacing.decide(now);
      if (decision.kind === 'send') return this.pacing.sent(now, decision.probe);
      if (decision.kind === 'wait' && decision.untilMs > this.announcedUntil) {
        this.waitedMs += decision.untilMs - Math.max(now, this.announcedUntil);
        this.announcedUntil = decision.untilMs;
        this.onWait?.({ ms: decision.untilMs - now, reason: decision.reason, capped: decision.capped });
      }
      await pause(decision.untilMs - now, signal, this.wake);
    }
  }

  /** The call `ticket` stands for is over: answered (with its status and headers) or failed. */
  release(
    ticket: Ticket,
    answer?: { status: number; limits: RateLimitHeaders | undefined; date: string | undefined },
  ): void {
    this.pacing.answered(ticket, Date.now(), answer);
    const wakeAll = this.wakeAll;
    this.rearm();
    wakeAll();
  }

  /** Intercom's clock minus ours, as its `Date` headers tell it. */
  get clockOffsetMs(): number {
    return this.pacing.clockOffsetMs;
  }
}
