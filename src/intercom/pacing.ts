/**
 * The pacer's decisions, as plain state and arithmetic so that they can be tested case by case:
 * whether a call may go now, and if not, until when to wait. Times are epoch milliseconds, ours
 * unless called server times; Intercom's windows are in its own clock.
 *
 * The rules, from what Intercom does (`intercom-api-notes.md`, Rate limits):
 * - A window's answers say what is left in it, as of the call counted last. Calls arrive in no
 *   fixed order, so any call of ours still in flight may be missing from that count and is taken
 *   off it.
 * - Other apps of the workspace spend the same allowance. When `Remaining` falls faster than our
 *   own calls explain (at the least: every call in flight counted as ours), the difference is their
 *   rate, and what they will spend before the reset is left to them rather than raced for. A rate
 *   that holds calls back is measured again, a second later, then two, four.
 * - A window's reset is timed by Intercom's clock, through the least offset its `Date` headers
 *   allow; a reset further away than one window is not believed for longer than `maxWaitMs`.
 * - A window's allowance is spent along its length (a fifth up front, the rest as its clock runs),
 *   not all in its first second: other apps get their calls in, and their spending shows.
 * - Once a window that held calls back has ended, what the next one holds is unknown until an
 *   answer says: one call goes first and the rest follow its headers. A window that ended with
 *   room left is followed by a fresh one, assumed whole until its answers say otherwise.
 * - After a 429, a short jittered pause whatever the headers say, so that a wrong reset cannot
 *   turn into a burst of retries; then the window's reset, or, when the 429 came with calls left
 *   (a limit the headers do not describe), one call that asks again.
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
  /** How soon to measure again when only others' expected spending holds calls back. */
  reestimateMs: number;
  /** Share of a window's allowance that may be spent at once; the rest follows the window's clock. */
  burstShare: number;
}

export const DEFAULT_PACING: PacingConfig = {
  windowMs: 10_000,
  maxWaitMs: 12_000,
  marginMs: 50,
  after429Ms: 1_000,
  after429JitterMs: 1_000,
  probeTimeoutMs: 2_000,
  rateMinElapsedMs: 1_000,
  reestimateMs: 1_000,
  burstShare: 0.2,
};

export interface Ticket {
  seq: number;
  sentAt: number;
}

/**
 * `others`: calls are left, but another app is expected to spend them before the reset;
 * `spread`: the window's allowance is spent along its length, and the next call is not yet due.
 */
export type WaitReason = 'window' | 'after-429' | 'others' | 'spread';

export type Decision =
  | { kind: 'send'; probe: boolean }
  | { kind: 'wait'; untilMs: number; reason: WaitReason; capped: boolean }
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
  /** Calls sent this window only to measure others again. */
  asks: number;
  /** Calls were held back for want of room: the next window is found out by one call first. */
  spent?: boolean;
  /** Calls a millisecond that others spent, at the least, once enough of the window has passed. */
  othersPerMs?: number;
  /**
   * After this local time one call asks again instead of waiting on: a reset further than
   * `maxWaitMs` away, a 429 with calls left, or a wait only for what others were expected to spend.
   */
  askAgain?: { untilMs: number; reason: WaitReason; capped: boolean };
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
    let w = this.window;
    if (w && !w.spent && this.ended(w, now)) w = this.rollForward(w, now);
    if (!w || this.ended(w, now)) {
      if (this.probe && now < this.probe.sentAt + this.config.probeTimeoutMs)
        return { kind: 'hold', untilMs: this.probe.sentAt + this.config.probeTimeoutMs };
      return { kind: 'send', probe: true };
    }
    if (this.usable(w) > 0) {
      const due = this.spreadDue(w);
      if (due <= now) return { kind: 'send', probe: false };
      return { kind: 'wait', untilMs: due, reason: 'spread', capped: false };
    }
    w.spent = true;
    const reset = this.localReset(w);
    if (w.askAgain) return { kind: 'wait', ...w.askAgain };
    const again = this.askAgainTime(w, now, reset);
    if (again !== undefined) {
      w.askAgain = { untilMs: again, reason: 'others', capped: false };
      return { kind: 'wait', ...w.askAgain };
    }
    if (reset - now <= this.config.maxWaitMs)
      return { kind: 'wait', untilMs: reset, reason: 'window', capped: false };
    w.askAgain = { untilMs: now + this.config.maxWaitMs, reason: 'window', capped: true };
    return { kind: 'wait', ...w.askAgain };
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
      if (limits) this.observe(ticket, limits, false);
      else if (this.window) this.window.remaining = 0;
      // Refused with calls left: a limit these headers do not describe (the workspace's, shared
      // with other apps). Waiting for this window's reset proves nothing; after the pause one
      // call asks again.
      if (limits && limits.remaining > 0 && this.window?.resetAt === limits.resetAt)
        this.window.askAgain = { untilMs: this.notBefore, reason: 'after-429', capped: false };
      if (this.window) this.window.spent = true;
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
      w = this.openWindow(limits.limit, limits.resetAt, limits.remaining, arrival);
    } else if (limits.resetAt < w.resetAt) {
      return;
    } else {
      if (limits.remaining < w.remaining) {
        w.remaining = limits.remaining;
        w.remainingAt = arrival;
      }
      // The call that asked again has its answer.
      if (w.askAgain && ticket.sentAt >= w.askAgain.untilMs) w.askAgain = undefined;
    }
    if (!counted) return;
    w.counted++;
    // By the arrival of the call counted last, Intercom had counted every answered call of ours
    // and at most every one still in flight, so what it counted beyond those is others' at the
    // least; exactly theirs when nothing of ours is in flight.
    const elapsed = w.remainingAt - (w.resetAt - this.config.windowMs);
    if (elapsed < this.config.rateMinElapsedMs) return;
    w.othersPerMs = Math.max(0, w.limit - w.remaining - w.counted - this.inFlight.size) / elapsed;
  }

  /**
   * When the next call is due if the window's allowance is spent along its length: a share up
   * front, the rest as the window's clock runs. Spending it all in the first second would leave
   * nothing for the other apps of the workspace, and nothing to measure them by.
   */
  private spreadDue(w: Window): number {
    const consumed = w.limit - w.remaining + this.inFlight.size;
    const share = (consumed + 1) / w.limit - this.config.burstShare;
    const windowStart = w.resetAt - this.config.windowMs;
    return windowStart + Math.max(0, share) * this.config.windowMs - this.clock.estimateMs;
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

  /**
   * Held back only by what others were expected to spend, with nothing of ours in flight to
   * correct that: the expectation may be stale (the last window's rate, a burst that ended), so
   * one call measures again, a second later, then two, four. Not when this window's measurement
   * agrees with the last window's (a steady neighbour), nor when the call would likely find the
   * window spent by the time it arrives.
   */
  private askAgainTime(w: Window, now: number, reset: number): number | undefined {
    if (this.inFlight.size > 0 || w.remaining <= 0) return undefined;
    const last = this.lastOthersPerMs;
    if (w.othersPerMs !== undefined && last > 0 && Math.abs(w.othersPerMs - last) <= 0.25 * last)
      return undefined;
    const at = now + this.config.reestimateMs * 2 ** w.asks;
    const expectedLeft = w.remaining - (w.othersPerMs ?? last) * (at + this.clock.estimateMs - w.remainingAt);
    if (at >= reset || expectedLeft < 2) return undefined;
    w.asks++;
    return at;
  }

  /**
   * A window that ended with room left is followed by a fresh one: its allowance is assumed whole
   * (less what others were last measured to spend) until its answers say otherwise, rather than
   * holding every call for one call's answer at each reset.
   */
  private rollForward(w: Window, now: number): Window {
    const serverNow = now + this.clock.estimateMs;
    const periods = Math.max(1, Math.ceil((serverNow - w.resetAt) / this.config.windowMs));
    const resetAt = w.resetAt + periods * this.config.windowMs;
    return this.openWindow(w.limit, resetAt, w.limit, resetAt - this.config.windowMs);
  }

  /** A new window replaces the last, whose measured rate of others carries over until its own is. */
  private openWindow(limit: number, resetAt: number, remaining: number, remainingAt: number): Window {
    if (this.window?.othersPerMs !== undefined) this.lastOthersPerMs = this.window.othersPerMs;
    return (this.window = { limit, resetAt, remaining, remainingAt, counted: 0, asks: 0 });
  }

  /** Our time by which Intercom's clock has surely passed the window's reset. */
  private localReset(w: Window): number {
    return w.resetAt - this.clock.lowerMs + this.config.marginMs;
  }

  private ended(w: Window, now: number): boolean {
    return now >= this.localReset(w) || (w.askAgain !== undefined && now >= w.askAgain.untilMs);
  }
}
