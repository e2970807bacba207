/** `sync --since`: exact instants taken as given, everything else read as the tools read timeframes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSince } from '../../src/cli/sync-command.js';
import { parseTimeframe } from '../../src/time/timeframe.js';

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

  for (const [text, zone] of [
    ['2026-11-20', 'Europe/Paris'],
    ['2026-11-20T10:00:00', 'Europe/Paris'],
    ['last monday', 'America/New_York'],
    ['since 2 weeks ago', 'UTC'],
  ] as const)
    it(`"${text}" without an offset is read in the zone, as the tools read "since …"`, async () =>
      assert.equal(
        await parseSince(text, zone),
        parseTimeframe(`since ${text.replace(/^since\s+/, '')}`, zone).from,
      ));

  it('midnight of a date is its midnight in the zone, not in UTC', async () =>
    assert.equal(await parseSince('2026-11-20', 'Europe/Paris'), seconds('2026-11-19T23:00:00Z')));

  for (const text of ['2026-13-45T10:00:00Z', 'not a date', ''])
    it(`"${text}" is refused, naming the option`, async () =>
      assert.rejects(parseSince(text, 'UTC'), /^Error: --since: /));
});
