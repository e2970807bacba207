/**
 * The clock formats times from each zone's offset changes, found once a zone-year, instead of
 * asking luxon for every instant: its answers must be luxon's, second for second, at every change
 * of offset (found here by luxon alone), in zones with half- and quarter-hour offsets, short DST
 * suspensions and a skipped day, and outside the range it formats itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { clockFor } from '../../src/time/clock.js';

const luxon = (t: number, zone: string) =>
  DateTime.fromSeconds(t, { zone }).toISO({ suppressMilliseconds: true });
const offset = (t: number, zone: string) => DateTime.fromSeconds(t, { zone }).offset;

const ZONES = [
  'UTC',
  'Etc/UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
];
const FROM = Date.UTC(2015, 0, 1) / 1000;
const TO = Date.UTC(2028, 0, 1) / 1000;
// Six hours and seven seconds: samples fall at every time of day and odd seconds over the years.
const STEP = 6 * 3600 + 7;

/** The first second at which the zone's offset differs from its offset at `lo` (luxon's answer). */
function changeAfter(lo: number, hi: number, zone: string): number {
  const before = offset(lo, zone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

describe('the clock', () => {
  for (const zone of ZONES)
    it(`agrees with luxon in ${zone}, at every change of offset and between`, () => {
      const clock = clockFor(zone);
      let changes = 0;
      let previous = FROM;
      for (let t = FROM; t < TO; t += STEP) {
        assert.equal(clock(t), luxon(t, zone), `${zone} at ${t}`);
        if (offset(t, zone) !== offset(previous, zone)) {
          const at = changeAfter(previous, t, zone);
          for (const s of [at - 1, at, at + 1, at + 59, at + 3599])
            assert.equal(clock(s), luxon(s, zone), `${zone} around its change at ${at}`);
          changes++;
        }
        previous = t;
      }
      // The zones with daylight saving are tested at their changes, not only between them.
      if (!['UTC', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Kathmandu'].includes(zone))
        assert.ok(changes > 0, `${zone} changed offset at least once`);
    });

  it('agrees with luxon at the edges of its range and of the years', () => {
    const cases: [number, string][] = [
      [0, 'Pacific/Chatham'],
      [-1, 'Europe/Berlin'],
      [-86_400 * 400, 'America/New_York'],
      [1_750_000_000.5, 'Europe/Berlin'],
      [1_750_000_000.123, 'UTC'],
      [Date.UTC(2100, 0, 1) / 1000, 'Asia/Tehran'],
      [Date.UTC(2100, 0, 1) / 1000 - 1, 'Asia/Tehran'],
      [Date.UTC(2026, 0, 1) / 1000 - 1, 'Pacific/Apia'],
      [Date.UTC(2026, 0, 1) / 1000, 'America/Sao_Paulo'],
      [Date.UTC(2025, 11, 31, 10, 0, 0) / 1000, 'Pacific/Chatham'],
      [8_000_000_000, 'Europe/London'],
    ];
    for (const [t, zone] of cases) assert.equal(clockFor(zone)(t), luxon(t, zone), `${zone} at ${t}`);
  });

  it('formats the same in a second clock of the zone, from what the first kept', () => {
    const t = Date.UTC(2024, 2, 31, 0, 59, 59) / 1000;
    assert.equal(clockFor('Europe/Berlin')(t), '2024-03-31T01:59:59+01:00');
    assert.equal(clockFor('Europe/Berlin')(t + 1), '2024-03-31T03:00:00+02:00');
    assert.equal(clockFor('UTC')(t + 1), '2024-03-31T01:00:00Z');
  });

  it('answers as luxon does for a zone luxon does not know', () => {
    assert.equal(clockFor('Not/AZone')(1_750_000_000), luxon(1_750_000_000, 'Not/AZone'));
  });
});
