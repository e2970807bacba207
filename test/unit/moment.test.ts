/** A snooze's end as people write it, read in the workspace's zone; the past and the far future refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMoment } from '../../src/time/moment.js';

const NOW = Date.parse('2026-12-07T13:30:00Z');
const at = (iso: string) => Date.parse(iso) / 1000;

const CASES: [text: string, zone: string, expected: number | RegExp][] = [
  ['in 2 hours', 'UTC', at('2026-12-07T15:30:00Z')],
  ['in 2 hours', 'America/Los_Angeles', at('2026-12-07T15:30:00Z')],
  ['tomorrow', 'UTC', at('2026-12-08T09:00:00Z')],
  ['tomorrow', 'Europe/Berlin', at('2026-12-08T08:00:00Z')],
  ['tomorrow 2pm', 'America/New_York', at('2026-12-08T19:00:00Z')],
  ['2026-12-24 17:00', 'Europe/London', at('2026-12-24T17:00:00Z')],
  ['2026-12-24T17:00:00+01:00', 'UTC', at('2026-12-24T16:00:00Z')],
  ['yesterday', 'UTC', /not in the future/],
  ['2028-01-01', 'UTC', /more than a year ahead/],
  ['whenever', 'UTC', /Cannot read "whenever" as a time/],
  ['tomorrow or so', 'UTC', /Cannot read/],
  ['', 'UTC', /1–100 characters/],
  ['x'.repeat(101), 'UTC', /1–100 characters/],
];

describe('parseMoment', () => {
  for (const [text, zone, expected] of CASES)
    it(`${JSON.stringify(text.slice(0, 30))} in ${zone}`, () => {
      if (expected instanceof RegExp) assert.throws(() => parseMoment(text, zone, NOW), expected);
      else assert.equal(parseMoment(text, zone, NOW), expected);
    });
});
