import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClockOffset } from '../../src/intercom/clock-offset.js';
import { DEFAULT_PACING, Pacing, type Decision, type RateLimitHeaders } from '../../src/intercom/pacing.js';

// Our clock: Tuesday 1 December 2026, 12:00:00.000 UTC.
const T = Date.parse('2026-12-01T12:00:00Z');
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('ClockOffset: Intercom clock from Date headers', () => {
  type Sample = [date: number, sentAt: number, receivedAt: number];
  const cases: [name: string, samples: Sample[], lower: number, estimate: number][] = [
    ['no answers: assume none', [], 0, 0],
    ['one answer 3 s ahead, 100 ms round trip', [[T + 3000, T, T + 100]], 2900, 3450],
    [
      'an answer sent late in a second narrows it',
      [
        [T + 3000, T, T + 100],
        [T + 3000, T + 950, T + 1000],
      ],
      2900,
      2975,
    ],
    ['3 s behind', [[T - 3000, T, T + 20]], -3020, -2510],
    [
      'a stepped clock starts again from the newest answer',
      [
        [T + 3000, T, T + 100],
        [T - 60_000, T + 200, T + 300],
      ],
      -60_300,
      -59_750,
    ],
  ];
  for (const [name, samples, lower, estimate] of cases) {
    it(name, () => {
      const clock = new ClockOffset();
      for (const [date, sent, received] of samples) clock.observe(httpDate(date), sent, received);
      assert.equal(clock.lowerMs, lower);
      assert.equal(clock.estimateMs, estimate);
      assert.equal(clock.known, samples.length > 0);
    });
  }

  it('ignores a missing or unreadable Date', () => {
    const clock = new ClockOffset();
    clock.observe(undefined, T, T + 10);
    clock.observe('not a date', T, T + 10);
    assert.equal(clock.known, false);
  });
});

/** A pacing whose every call is answered at once with these headers, at `now`, Intercom `offset` ms ahead. */
function answer(p: Pacing, now: number, limits: RateLimitHeaders | undefined, status = 200, offset = 0) {
  const decision = p.decide(now);
  assert.equal(decision.kind, 'send', `expected to send at ${now - T} ms, got ${JSON.stringify(decision)}`);
  const ticket = p.sent(now, decision.kind === 'send' && decision.probe);
  p.answered(ticket, now, { status, limits, date: httpDate(now + offset) });
}

const window = (limit: number, remaining: number, resetAt: number): RateLimitHeaders => ({
  limit,
  remaining,
  resetAt,
});

const RESET = T + 10_000;
const fixed = () => 0.5;

describe('Pacing: when a call may go', () => {
  const cases: [name: string, setup: (p: Pacing) => number, expected: Decision][] = [
    ['nothing known yet: one call finds out', () => T, { kind: 'send', probe: true }],
    [
      'while that call is out, the rest hold for its answer',
      (p) => (p.sent(T, true), T + 100),
      { kind: 'hold', untilMs: T + DEFAULT_PACING.probeTimeoutMs },
    ],
    [
      'a first call unanswered past its timeout no longer holds the rest',
      (p) => (p.sent(T, true), T + DEFAULT_PACING.probeTimeoutMs),
      { kind: 'send', probe: true },
    ],
    [
      'calls left in the window: send',
      (p) => (answer(p, T, window(50, 45, RESET)), T + 10),
      { kind: 'send', probe: false },
    ],
    [
      "past the fifth spent up front, the next call is due as the window's clock runs",
      // 30 of 100 gone 10 ms in (by the Date estimate, 510 ms): the 31st is due 1.1 s in.
      (p) => (answer(p, T, window(100, 70, RESET)), T + 10),
      { kind: 'wait', untilMs: T + 1100 - 500, reason: 'spread', capped: false },
    ],
    [
      'calls in flight take their share of what is left',
      (p) => {
        answer(p, T, window(50, 3, RESET));
        for (let i = 0; i < 3; i++) p.sent(T + 1, false);
        return T + 2;
      },
      { kind: 'wait', untilMs: RESET + DEFAULT_PACING.marginMs, reason: 'window', capped: false },
    ],
    [
      "none left: wait for the reset, by Intercom's clock 3 s ahead",
      (p) => (answer(p, T, window(50, 0, RESET + 3000), 200, 3000), T + 10),
      { kind: 'wait', untilMs: RESET + DEFAULT_PACING.marginMs, reason: 'window', capped: false },
    ],
    [
      "none left: wait for the reset, by Intercom's clock 3 s behind",
      (p) => (answer(p, T, window(50, 0, RESET - 3000), 200, -3000), T + 10),
      { kind: 'wait', untilMs: RESET + DEFAULT_PACING.marginMs, reason: 'window', capped: false },
    ],
    [
      'a window that held calls back has ended: one call finds out what the next holds',
      (p) => {
        answer(p, T, window(50, 0, RESET));
        p.decide(T + 10);
        return RESET + DEFAULT_PACING.marginMs;
      },
      { kind: 'send', probe: true },
    ],
    [
      'a window that ended with room left: the next is taken as fresh, no call held back',
      (p) => (answer(p, T, window(50, 45, RESET)), RESET + DEFAULT_PACING.marginMs),
      { kind: 'send', probe: false },
    ],
    [
      'a reset an hour away is waited on for at most maxWaitMs',
      (p) => (answer(p, T, window(50, 0, T + 3_600_000)), T + 10),
      { kind: 'wait', untilMs: T + 10 + DEFAULT_PACING.maxWaitMs, reason: 'window', capped: true },
    ],
    [
      'after that wait, ask instead of waiting on',
      (p) => {
        answer(p, T, window(50, 0, T + 3_600_000));
        p.decide(T + 10);
        return T + 10 + DEFAULT_PACING.maxWaitMs;
      },
      { kind: 'send', probe: true },
    ],
    [
      'after a 429 a jittered pause, even with its reset already past',
      (p) => (answer(p, T, window(50, 0, T - 5000), 429), T + 1),
      {
        kind: 'wait',
        untilMs: T + DEFAULT_PACING.after429Ms + 0.5 * DEFAULT_PACING.after429JitterMs,
        reason: 'after-429',
        capped: false,
      },
    ],
    [
      'a 429 with calls left: after the pause one call asks again, not at the reset',
      (p) => (
        answer(p, T, window(50, 30, RESET), 429),
        T + 1 + DEFAULT_PACING.after429Ms + DEFAULT_PACING.after429JitterMs
      ),
      { kind: 'send', probe: true },
    ],
    [
      'a 429 without headers ends what the window was thought to hold',
      (p) => {
        answer(p, T, window(50, 40, RESET));
        answer(p, T + 5, undefined, 429);
        return T + 5 + DEFAULT_PACING.after429Ms + DEFAULT_PACING.after429JitterMs;
      },
      { kind: 'wait', untilMs: RESET + DEFAULT_PACING.marginMs, reason: 'window', capped: false },
    ],
    [
      'another app spent half the window by its middle: its share for the rest is left to it',
      (p) => {
        // Window opened at T; about 5.5 s in by the Date estimate, 10 of ours and 50 of theirs
        // are gone, so 41 more of theirs are to come before the reset: 40 left is not enough.
        answer(p, T + 5000, window(100, 90, RESET));
        for (let i = 0; i < 8; i++) answer(p, T + 5000, window(100, 49 - i, RESET));
        answer(p, T + 5000, window(100, 40, RESET));
        return T + 5001;
      },
      { kind: 'wait', untilMs: T + 5001 + DEFAULT_PACING.reestimateMs, reason: 'others', capped: false },
    ],
    [
      'a second later one call measures again, and a burst that ended no longer holds calls back',
      (p) => {
        answer(p, T + 5000, window(100, 90, RESET));
        for (let i = 0; i < 8; i++) answer(p, T + 5000, window(100, 49 - i, RESET));
        answer(p, T + 5000, window(100, 40, RESET));
        p.decide(T + 5001);
        // Nobody spent anything meanwhile: 39 left, 50 of theirs over 6.5 s, 3.5 s to go.
        answer(p, T + 5001 + DEFAULT_PACING.reestimateMs, window(100, 39, RESET));
        return T + 6002;
      },
      { kind: 'send', probe: false },
    ],
    [
      'others expected to spend what is left, with calls of ours in flight: wait for the reset or their answers',
      (p) => {
        answer(p, T + 5000, window(100, 40, RESET));
        p.sent(T + 5000, false);
        return T + 5001;
      },
      { kind: 'wait', untilMs: RESET + DEFAULT_PACING.marginMs, reason: 'window', capped: false },
    ],
    [
      'the same window without another app: send',
      (p) => {
        for (let i = 0; i < 10; i++) answer(p, T + 5000, window(100, 99 - i, RESET));
        return T + 5001;
      },
      { kind: 'send', probe: false },
    ],
    [
      "the last window's rate carries into the next, fresh window: its share is left to it, and one call measures again",
      (p) => {
        answer(p, T + 5000, window(100, 40, RESET));
        // The window ended with room left; 100 ms into the next, 10.7 a second of theirs for 9.9 s
        // would take more than the whole allowance.
        return RESET + 100;
      },
      { kind: 'wait', untilMs: RESET + 100 + DEFAULT_PACING.reestimateMs, reason: 'others', capped: false },
    ],
  ];
  for (const [name, setup, expected] of cases) {
    it(name, () => {
      const p = new Pacing(DEFAULT_PACING, fixed);
      const now = setup(p);
      assert.deepEqual(p.decide(now), expected);
    });
  }

  it("counts a call of ours in flight as perhaps counted: the other app's rate is a lower bound", () => {
    const p = new Pacing(DEFAULT_PACING, fixed);
    answer(p, T, window(100, 90, RESET));
    p.sent(T + 5000, false);
    answer(p, T + 5000, window(100, 40, RESET));
    // 60 gone by 5.5 s into the window: 2 of ours answered, 1 in flight, so 57 or more not ours.
    assert.ok(Math.abs(p.othersPerSecond - 57 / 5.5) < 1e-9, String(p.othersPerSecond));
    const q = new Pacing(DEFAULT_PACING, fixed);
    answer(q, T + 5000, window(100, 40, RESET));
    assert.ok(Math.abs(q.othersPerSecond - 59 / 5.5) < 1e-9, String(q.othersPerSecond));
  });
});
