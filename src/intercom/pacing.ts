/**
 * The pacer's decisions, as plain state and arithmetic so that they can be tested case by case:
 * whether a call may go now, and if not, until when to wait. Times are epoch milliseconds, ours
 * unless called server times; Intercom's windows are in its own clock.
 *
 * The rules, from what Intercom does (`intercom-api-notes.md`, Rate limits):
 * - A window's answers say what is left in it. Calls still in flight that were sent after the
 *   answer we trust are not in that count, so they are taken off it.
 * - Other apps of the workspace spend the same allowance. When `Remaining` falls faster than our
 *   own calls explain, the difference is their rate, and what they will spend before the reset is
 *   left to them rather than raced for.
 * - A window's reset is timed by Intercom's clock, through the least offset its `Date` headers
 *   allow; a reset further away than one window is not believed for longer than `maxWaitMs`.
 * - Once a window has ended, what the next one holds is unknown until an answer says: one call
 *   goes first and the rest follow its headers.
 * - After a 429, a short jittered pause whatever the headers say, so that a wrong reset cannot
 *   turn into a burst of retries.
 */
import { ClockOffset } from './clock-offset.js';

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  /** Window end, epoch milliseconds in Intercom's clock. */
  resetAt: number;
}

export interface PacingConfig {
  /** Intercom enforces its limits in 10-second windows. */
  windowMs: number;
  /** The longest single wait, whatever a reset header says. */
  maxWaitMs: number;
  /** Slack after a reset before the next window is assumed open. */
  marginMs: number;
  after429Ms: number;
  after429JitterMs: number;
  /** A first call unanswered this long no longer holds the others back. */
  probeTimeoutMs: number;
  /** Time into a window before its spending rate is trusted over the last window's. */
  rateMinElapsedMs: number;
}

export const DEFAULT_PACING: PacingConfig = {
  windowMs: 10_000,
  maxWaitMs: 12_000,
  marginMs: 50,
  after429Ms: 1_000,
  after429JitterMs: 1_000,
  probeTimeoutMs: 2_000,
  rateMinElapsedMs: 1_000,
};

export interface Ticket {
  seq: number;
  sentAt: number;
}

export type Decision =
  | { kind: 'send'; probe: boolean }
  | { kind: 'wait'; untilMs: number; reason: 'window' | 'after-429'; capped: boolean }
  /** Another call is finding out what the window holds: wait for its answer, at most until `untilMs`. */
  | { kind: 'hold'; untilMs: number };

interface Window {
  limit: number;
  resetAt: number;
  /** The lowest `Remaining` answered: the count as of the last of our calls to arrive. */
  remaining: number;
  /** When, in Intercom's time, that call was counted. */
  remainingAt: number;
  /** Our calls counted in this window. */
  counted: number;
  /** Calls a millisecond that others spent, measured when none of ours was in flight. */
  othersPerMs?: number;
  /** A reset further than `maxWaitMs` away: after this local time, ask instead of waiting on. */
  distrustAfter?: number;
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

export class Pacing {
  readonly clock = new ClockOffset();
  private seq = 0;
  private readonly inFlight = new Set<number>();
  private window: Window | undefined;
  private lastOthersPerMs = 0;
  private probe: Ticket | undefined;
  private notBefore = 0;

  constructor(
    private readonly config: PacingConfig = DEFAULT_PACING,
    private readonly random: () => number = Math.random,
  ) {}

  decide(now: number): Decision {
    if (now < this.notBefore)
      return { kind: 'wait', untilMs: this.notBefore, reason: 'after-429', capped: false };
    const w = this.window;
    if (!w || this.ended(w, now)) {
      if (this.probe && now < this.probe.sentAt + this.config.probeTimeoutMs)
        return { kind: 'hold', untilMs: this.probe.sentAt + this.config.probeTimeoutMs };
      return { kind: 'send', probe: true };
    }
    if (this.usable(w) > 0) return { kind: 'send', probe: false };
    const reset = this.localReset(w);
    if (reset - now <= this.config.maxWaitMs)
      return { kind: 'wait', untilMs: reset, reason: 'window', capped: false };
    w.distrustAfter ??= now + this.config.maxWaitMs;
    return { kind: 'wait', untilMs: w.distrustAfter, reason: 'window', capped: true };
  }

  /** Records a call going out now; `probe` is the decision's. */
  sent(now: number, probe: boolean): Ticket {
    const ticket = { seq: ++this.seq, sentAt: now };
    this.inFlight.add(ticket.seq);
    if (probe) this.probe = ticket;
    return ticket;
  }

  /** An answer (or a failure, with no headers) to the call `ticket` stands for. */
  answered(
    ticket: Ticket,
    now: number,
    answer?: { status: number; limits: RateLimitHeaders | undefined; date: string | undefined },
  ): void {
    this.inFlight.delete(ticket.seq);
    if (this.probe?.seq === ticket.seq) this.probe = undefined;
    if (!answer) return;
    this.clock.observe(answer.date, ticket.sentAt, now);
    const limits = answer.limits;
    if (answer.status === 429) {
      this.notBefore = now + this.config.after429Ms + this.random() * this.config.after429JitterMs;
      if (limits) this.observe(ticket, { ...limits, remaining: 0 }, false);
      else if (this.window) this.window.remaining = 0;
      return;
    }
    if (limits) this.observe(ticket, limits, true);
  }

  get clockOffsetMs(): number {
    return this.clock.estimateMs;
  }

  /** What another app spends, in calls a second, as last measured. */
  get othersPerSecond(): number {
    return (this.window?.othersPerMs ?? this.lastOthersPerMs) * 1000;
  }

  private observe(ticket: Ticket, limits: RateLimitHeaders, counted: boolean): void {
    const arrival = ticket.sentAt + this.clock.estimateMs;
    let w = this.window;
    if (!w || limits.resetAt > w.resetAt) {
      if (w?.othersPerMs !== undefined) this.lastOthersPerMs = w.othersPerMs;
      w = this.window = {
        limit: limits.limit,
        resetAt: limits.resetAt,
        remaining: limits.remaining,
        remainingAt: arrival,
        counted: 0,
      };
    } else if (limits.resetAt < w.resetAt) {
      return;
    } else if (limits.remaining < w.remaining) {
      w.remaining = limits.remaining;
      w.remainingAt = arrival;
    }
    if (!counted) return;
    w.counted++;
    // Calls arrive in no fixed order, so what others spent is known exactly only when all of ours
    // in this window are answered: the lowest Remaining then counts every one of them.
    const elapsed = w.remainingAt - (w.resetAt - this.config.windowMs);
    if (this.inFlight.size > 0 || elapsed < this.config.rateMinElapsedMs) return;
    w.othersPerMs = Math.max(0, w.limit - w.remaining - w.counted) / elapsed;
  }

  /**
   * Calls we may still send in this window, leaving others what they spend from the answer we
   * trust to the window's end.
   */
  private usable(w: Window): number {
    // Any call in flight may not have been counted yet.
    const uncounted = this.inFlight.size;
    const othersPerMs = w.othersPerMs ?? this.lastOthersPerMs;
    const reserve = Math.ceil(othersPerMs * Math.max(0, w.resetAt - w.remainingAt));
    return w.remaining - uncounted - reserve;
  }

  /** Our time by which Intercom's clock has surely passed the window's reset. */
  private localReset(w: Window): number {
    return w.resetAt - this.clock.lowerMs + this.config.marginMs;
  }

  private ended(w: Window, now: number): boolean {
    return now >= this.localReset(w) || (w.distrustAfter !== undefined && now >= w.distrustAfter);
  }
}
