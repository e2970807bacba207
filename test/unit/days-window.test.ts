/**
 * A window of days synced is the window of days asked about: `sync --days N` and "last N days" in
 * an answer count the zone's calendar days, so a freshly synced window is covered even when a
 * daylight-saving change lies inside it (the seed's load test: 90 days across a change).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreStatus } from '../../src/store/types.js';
import { freshness } from '../../src/mcp/freshness.js';
import { clockFor, daysBefore } from '../../src/time/clock.js';
import { parseTimeframe } from '../../src/time/timeframe.js';

const at = (iso: string) => Date.parse(iso) / 1000;

/** [zone, the moment of a sync, days, hours the window differs from N × 24 h (0: no change inside)]. */
const CASES: [zone: string, now: string, days: number, shiftHours: number][] = [
  // Los Angeles: spring forward 2026-03-08, fall back 2026-11-01.
  ['America/Los_Angeles', '2026-03-10T18:00:00Z', 7, -1],
  ['America/Los_Angeles', '2026-11-05T18:00:00Z', 7, 1],
  ['America/Los_Angeles', '2026-12-05T20:00:00Z', 90, 1],
  ['America/Los_Angeles', '2026-06-05T20:00:00Z', 90, -1],
  ['America/Los_Angeles', '2026-07-05T20:00:00Z', 30, 0],
  // Berlin: spring forward 2026-03-29, fall back 2026-10-25.
  ['Europe/Berlin', '2026-04-01T08:00:00Z', 7, -1],
  ['Europe/Berlin', '2026-10-27T08:00:00Z', 7, 1],
  ['Europe/Berlin', '2026-12-05T08:00:00Z', 90, 1],
  ['Europe/Berlin', '2026-06-05T08:00:00Z', 90, -1],
  // Both changes inside one window: they cancel.
  ['Europe/Berlin', '2026-11-20T08:00:00Z', 300, 0],
  ['UTC', '2026-12-05T08:00:00Z', 90, 0],
];

describe('a window of days across daylight-saving changes', () => {
  for (const [zone, iso, days, shiftHours] of CASES)
    it(`${days} days before ${iso} in ${zone}`, () => {
      const now = at(iso);
      const from = daysBefore(now, days, zone);
      // The case crosses what it says it crosses: calendar days are not N × 24 hours here.
      assert.equal((now - days * 86400 - from) / 3600, shiftHours);
      // The sync's window starts where the answer's "last N days" starts.
      assert.equal(parseTimeframe(`last ${days} days`, zone, now * 1000).from, from);
      // A sync of that window covers the question asked then and a while after.
      const status = {
        lastSuccessfulRun: { finishedAt: now + 60 },
        coverage: [{ from, to: now }],
        conversations: 0,
      } as unknown as StoreStatus;
      for (const later of [0, 60, 3600, 6 * 3600]) {
        const window = parseTimeframe(`last ${days} days`, zone, (now + later) * 1000);
        const f = freshness(status, 5, clockFor(zone), window, now + later);
        assert.equal(f.window_covered, true, `${later} s later: ${f.note}`);
      }
    });
});
