import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { runSync } from '../../src/sync/engine.js';
import { control } from '../helpers/http.js';
import { assertMirrors } from '../helpers/mirror.js';
import { tempWorkspace } from '../helpers/cli.js';

/**
 * A full sync against a tight limit (50 calls a window) crosses several windows, so each of these
 * makes the pacer wait for resets it can only time by Intercom's clock, or share windows with an
 * app it cannot see.
 */
async function syncUnder(options: EmulatorOptions) {
  const em = await startEmulator({
    conversations: 160,
    days: 10,
    seed: 'pacing',
    perMinute: 300,
    latencyMs: 15,
    jitterMs: 10,
    ...options,
  });
  const store = new SqliteStore(join(tempWorkspace(), 'data.db'));
  try {
    const api = new IntercomApi({ baseUrl: em.url, token: em.token });
    const result = await runSync(api, store, { defaultDays: 30 });
    const requests = (await control(em, 'GET', '/requests')).json;
    assertMirrors(store, em.workspace);
    return { result, requests, offsetMs: api.pacer.clockOffsetMs };
  } finally {
    store.close();
    await em.stop();
  }
}

describe('the pacer trusts Intercom clock and shares its windows', () => {
  it('no 429 with Intercom 3 s ahead, 3 s behind, or another app spending half of every window', async () => {
    const [ahead, behind, crowded] = await Promise.all([
      syncUnder({ clockOffsetSeconds: 3 }),
      syncUnder({ clockOffsetSeconds: -3 }),
      syncUnder({ neighbourShare: 0.5 }),
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
