/** `sync --since`: exact instants taken as given, everything else read in the workspace's zone. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSince } from '../../src/cli/sync-command.js';

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('parseSince', () => {
  for (const [text, zone, expected] of [
    ['2026-11-20T10:00:00Z', 'Europe/Paris', seconds('2026-11-20T10:00:00Z')],
    ['2026-11-20T10:00:00.999Z', 'UTC', seconds('2026-11-20T10:00:00Z')],
    ['2026-11-20t10:00z', 'UTC', seconds('2026-11-20T10:00:00Z')],
    ['2026-11-20T10:00+02:00', 'America/New_York', seconds('2026-11-20T08:00:00Z')],
    [' 2026-11-20T10:00:00-05:00 ', 'Asia/Tokyo', seconds('2026-11-20T15:00:00Z')],
  ] as const)
    it(`the instant ${text.trim()} is itself, whatever the zone (${zone})`, async () =>
      assert.equal(await parseSince(text, zone), expected));

  // Wednesday 2 December 2026, noon UTC: early morning in New York, evening in Tokyo.
  const NOW = Date.parse('2026-12-02T12:00:00Z');
  for (const [text, zone, expected] of [
    ['2026-11-20', 'Europe/Paris', '2026-11-19T23:00:00Z'],
    ['2026-11-20T10:00:00', 'Europe/Paris', '2026-11-20T09:00:00Z'],
    // The day New York leaves daylight saving time: its midnight is still at -04:00.
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00Z'],
    ['last monday', 'America/New_York', '2026-11-30T05:00:00Z'],
    ['yesterday', 'Asia/Tokyo', '2026-11-30T15:00:00Z'],
    ['since 2 weeks ago', 'UTC', '2026-11-18T00:00:00Z'],
  ] as const)
    it(`"${text}" without an offset is read in ${zone}: ${expected}`, async () =>
      assert.equal(await parseSince(text, zone, NOW), seconds(expected)));

  it('an instant after now is refused', async () =>
    assert.rejects(parseSince('2026-12-02T12:00:01Z', 'UTC', NOW), /^Error: --since: .* lies in the future/));

  it('midnight of a date is its midnight in the zone, not in UTC', async () =>
    assert.equal(await parseSince('2026-11-20', 'Europe/Paris'), seconds('2026-11-19T23:00:00Z')));

  for (const text of ['2026-13-45T10:00:00Z', 'not a date', ''])
    it(`"${text}" is refused, naming the option`, async () =>
      assert.rejects(parseSince(text, 'UTC'), /^Error: --since: /));
});
