/**
 * The pacer against Intercom's 10-second windows: whether a call lands in a window with room is a
 * matter of timing, which other test files competing for two cores upset (one run in several saw a
 * 429 beside them), so `npm test` runs this file after the parallel suite.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator, type EmulatorOptions } from '../src/emulator/server.js';
import { IntercomApi } from '../src/intercom/client.js';
import { ENGINES, freshStore, type TestEngine } from '../test/helpers/engines.js';
import { runSync } from '../src/sync/engine.js';
import { control } from '../test/helpers/http.js';
import { assertMirrors } from '../test/helpers/mirror.js';

/**
 * A full sync against a tight limit (50 calls a window) crosses several windows, so each of these
 * makes the pacer wait for resets it can only time by Intercom's clock, or share windows with an
 * app it cannot see.
 */
async function syncUnder(engine: TestEngine, options: EmulatorOptions) {
  const em = await startEmulator({
    conversations: 160,
    days: 10,
    seed: 'pacing',
    perMinute: 300,
    latencyMs: 15,
    jitterMs: 10,
    ...options,
  });
  const store = (await freshStore(engine)).store;
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
    const result = await runSync(api, store, { defaultDays: 30 });
    const requests = (await control(em, 'GET', '/requests')).json;
    await assertMirrors(store, em.workspace);
    return { result, requests, offsetMs: api.pacer.clockOffsetMs };
  } finally {
    await store.close();
    await em.stop();
  }
}

for (const engine of ENGINES)
  describe(`the pacer trusts Intercom clock and shares its windows (${engine.name})`, () => {
    it('no 429 with Intercom 3 s ahead, 3 s behind, or another app spending half of every window', async () => {
      const [ahead, behind, crowded] = await Promise.all([
        syncUnder(engine, { clockOffsetSeconds: 3 }),
        syncUnder(engine, { clockOffsetSeconds: -3 }),
        syncUnder(engine, { neighbourShare: 0.5 }),
      ]);
      for (const [name, run] of Object.entries({ ahead, behind, crowded })) {
        assert.equal(run.requests.rateLimited, 0, `${name}: the emulator answered 429`);
        assert.equal(run.result.rateLimited, 0, `${name}: the sync saw 429s`);
        assert.ok(run.requests.total > 150, `${name}: the sync crossed at least three windows`);
      }
      // The estimate is within the Date header's one-second resolution of the truth.
      assert.ok(Math.abs(ahead.offsetMs - 3000) <= 1000, `offset estimate ${ahead.offsetMs}`);
      assert.ok(Math.abs(behind.offsetMs + 3000) <= 1000, `offset estimate ${behind.offsetMs}`);
      // Its share left: the other app is refused only while the pacer has not yet seen it spend
      // (most of the first window). A pacer blind to it leaves it about a fifth of its calls.
      const { served, refused } = crowded.requests.neighbour;
      assert.ok(refused <= (served + refused) / 5, `neighbour refused ${refused} of ${served + refused}`);
    });
  });
