import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeTimeframe, parseTimeframe, TimeframeError } from '../../src/time/timeframe.js';

type Case = [phrase: string, from: string, to: string];

// Tuesday 1 December 2026, 09:30 UTC.
const UTC_NOW = Date.parse('2026-12-01T09:30:00Z');
const UTC_CASES: Case[] = [
  ['today', '2026-12-01T00:00:00Z', 'now'],
  ['yesterday', '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z'],
  ['this week', '2026-11-30T00:00:00Z', 'now'],
  ['last week', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
  ['previous week', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
  ['  Last   Week. ', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
  ['this month', '2026-12-01T00:00:00Z', 'now'],
  ['last month', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ['this quarter', '2026-10-01T00:00:00Z', 'now'],
  ['last quarter', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'],
  ['this year', '2026-01-01T00:00:00Z', 'now'],
  ['last year', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
  ['last weekend', '2026-11-28T00:00:00Z', '2026-11-30T00:00:00Z'],
  ['last 7 days', '2026-11-24T09:30:00Z', 'now'],
  ['past 2 weeks', '2026-11-17T09:30:00Z', 'now'],
  ['past week', '2026-11-24T09:30:00Z', 'now'],
  ['last 24 hours', '2026-11-30T09:30:00Z', 'now'],
  ['last 3 months', '2026-09-01T09:30:00Z', 'now'],
  ['last two days', '2026-11-29T09:30:00Z', 'now'],
  ['2026-11-20', '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z'],
  ['2026-11-20 to 2026-11-21', '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'],
  ['2026-11-20 - 2026-11-21', '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'],
  ['from 2026-11-01 to 2026-11-03', '2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z'],
  ['November', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ['Nov 2026', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ['november 2025', '2025-11-01T00:00:00Z', '2025-12-01T00:00:00Z'],
  ['december', '2026-12-01T00:00:00Z', 'now'],
  ['june', '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'],
  ['2026-11', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
  ['since June 1', '2026-06-01T00:00:00Z', 'now'],
  ['since 2026-11-20', '2026-11-20T00:00:00Z', 'now'],
  ['since 2026-11-20 10:00', '2026-11-20T10:00:00Z', 'now'],
  ['since last monday', '2026-11-30T00:00:00Z', 'now'],
  ['Q3 2026', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'],
  ['q3', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'],
  ['2025', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
  ['between june 1 and june 15', '2026-06-01T00:00:00Z', '2026-06-16T00:00:00Z'],
  ['nov 1 to nov 15 2025', '2025-11-01T00:00:00Z', '2025-11-16T00:00:00Z'],
  ['nov 1 2025 to nov 15', '2025-11-01T00:00:00Z', '2025-11-16T00:00:00Z'],
  ['dec 20 to jan 5', '2025-12-20T00:00:00Z', '2026-01-06T00:00:00Z'],
  ['dec 25', '2025-12-25T00:00:00Z', '2025-12-26T00:00:00Z'],
  ['3 days ago', '2026-11-28T00:00:00Z', '2026-11-29T00:00:00Z'],
];

// Wednesday 4 November 2026, noon in Los Angeles: daylight saving time ended on Sunday 1 November.
const LA_NOW = Date.parse('2026-11-04T12:00:00-08:00');
const LA_CASES: Case[] = [
  ['today', '2026-11-04T00:00:00-08:00', 'now'],
  ['yesterday', '2026-11-03T00:00:00-08:00', '2026-11-04T00:00:00-08:00'],
  ['this week', '2026-11-02T00:00:00-08:00', 'now'],
  ['last week', '2026-10-26T00:00:00-07:00', '2026-11-02T00:00:00-08:00'],
  ['2026-11-01', '2026-11-01T00:00:00-07:00', '2026-11-02T00:00:00-08:00'],
  ['last weekend', '2026-10-31T00:00:00-07:00', '2026-11-02T00:00:00-08:00'],
  ['last 7 days', '2026-10-28T12:00:00-07:00', 'now'],
  ['last 24 hours', '2026-11-03T12:00:00-08:00', 'now'],
  ['last month', '2026-10-01T00:00:00-07:00', '2026-11-01T00:00:00-07:00'],
  ['october', '2026-10-01T00:00:00-07:00', '2026-11-01T00:00:00-07:00'],
  ['this month', '2026-11-01T00:00:00-07:00', 'now'],
  ['since october 31', '2026-10-31T00:00:00-07:00', 'now'],
  ['2026-10-31 to 2026-11-01', '2026-10-31T00:00:00-07:00', '2026-11-02T00:00:00-08:00'],
  ['this quarter', '2026-10-01T00:00:00-07:00', 'now'],
];

const ERRORS: [phrase: string, message: RegExp][] = [
  ['next week', /wholly in the future/],
  ['next month', /wholly in the future/],
  ['this weekend', /wholly in the future/],
  ['tomorrow', /wholly in the future/],
  ['since tomorrow', /wholly in the future/],
  ['2027', /wholly in the future/],
  ['2026-11-21 to 2026-11-20', /ends before it starts/],
  ['last 999999999 days', /before 1970/],
  ['1960', /before 1970/],
  ['since 1969-12-31', /before 1970/],
  ['1960 to 2000', /before 1970/],
  ['last 0 days', /at least 1/],
  ['around a blue moon', /Cannot read "around a blue moon"/],
  ['   ', /empty/],
  ['x'.repeat(201), /201 characters long; at most 200/],
];

function check(cases: Case[], zone: string, now: number) {
  const nowIso = describeTimeframe({ phrase: '', from: now / 1000, to: now / 1000, zone }).from;
  for (const [phrase, from, to] of cases) {
    const got = describeTimeframe(parseTimeframe(phrase, zone, now));
    assert.deepEqual(
      [got.from, got.to],
      [from, to === 'now' ? nowIso : to],
      `${JSON.stringify(phrase)} in ${zone}`,
    );
    assert.equal(got.zone, zone);
    assert.equal(got.phrase, phrase.trim());
  }
}

describe('timeframes', () => {
  it(`reads ${UTC_CASES.length} phrases as calendar periods in UTC`, () => check(UTC_CASES, 'UTC', UTC_NOW));

  it(`reads ${LA_CASES.length} phrases in America/Los_Angeles across the end of daylight saving time`, () =>
    check(LA_CASES, 'America/Los_Angeles', LA_NOW));

  it('puts day boundaries at the zone’s midnight', () => {
    // 05:00 UTC on 1 December is still 30 November in Los Angeles.
    const now = Date.parse('2026-12-01T05:00:00Z');
    assert.equal(describeTimeframe(parseTimeframe('today', 'UTC', now)).from, '2026-12-01T00:00:00Z');
    assert.equal(
      describeTimeframe(parseTimeframe('today', 'America/Los_Angeles', now)).from,
      '2026-11-30T00:00:00-08:00',
    );
    const day = parseTimeframe('2026-11-01', 'America/Los_Angeles', now);
    assert.equal(day.to - day.from, 25 * 3600, 'the day daylight saving time ends has 25 hours');
  });

  it('refuses future, reversed, unreadable and oversized timeframes with a specific message', () => {
    for (const [phrase, message] of ERRORS) {
      assert.throws(
        () => parseTimeframe(phrase, 'UTC', UTC_NOW),
        (e: unknown) => {
          assert.ok(e instanceof TimeframeError, `${phrase}: ${String(e)}`);
          assert.match(e.message, message, phrase);
          assert.ok(e.message.length < 400, 'the message quotes only a short prefix');
          return true;
        },
      );
    }
  });
});
