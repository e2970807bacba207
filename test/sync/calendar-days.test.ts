/**
 * `days` is counted in calendar days of the workspace's zone by the sync as by the answers: right
 * after `sync --days N`, "last N days" is covered, even when a fall-back change lies inside the
 * window (then N calendar days are an hour longer than N × 24 hours, and a window of 24-hour days
 * left the first hour uncovered: the seed's load test failed on it). The zone is one where such a
 * change lies inside the window today; the sync learns it from Intercom (`GET /me`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { freshness } from '../../src/mcp/freshness.js';
import { runSync } from '../../src/sync/engine.js';
import { clockFor, daysBefore } from '../../src/time/clock.js';
import { parseTimeframe } from '../../src/time/timeframe.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const ZONES = ['America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago'];
const SPANS = [90, 120, 150, 180, 240];

/** A zone and a span whose window holds one fall-back change now (the calendar window is longer). */
function crossing(): { zone: string; days: number } {
  const now = Date.now() / 1000;
  for (const days of SPANS)
    for (const zone of ZONES) if (now - days * 86400 - daysBefore(now, days, zone) > 0) return { zone, days };
  throw new Error('no zone of the list has a fall-back change inside any span today');
}

for (const engine of ENGINES)
  describe(`a window of days across a daylight-saving change (${engine.name})`, () => {
    const { zone, days } = crossing();
    let em: RunningEmulator;
    before(async () => {
      em = await startEmulator({ conversations: 120, days: days + 10, timezone: zone, seed: 'calendar' });
    });
    after(() => em.stop());

    it(`covers "last ${days} days" in ${zone} right after a sync of ${days} days`, async (t) => {
      t.diagnostic(`${zone}, ${days} days`);
      const { store } = await freshStore(engine);
      try {
        const result = await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, {
          days,
          defaultDays: 30,
        });
        assert.equal(result.complete, true);
        const window = parseTimeframe(`last ${days} days`, zone);
        const f = freshness(await store.status(), 5, clockFor(zone), window);
        assert.equal(f.window_covered, true, f.note);
      } finally {
        await store.close();
      }
    });
  });
