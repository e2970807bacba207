import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { runSync, SyncInterrupted } from '../../src/sync/engine.js';
import { assertMirrors } from '../helpers/mirror.js';

const DAY = 86400;

for (const engine of ENGINES)
  describe(`a backfill fills the most recent days first (${engine.name})`, () => {
    let em: RunningEmulator;
    before(async () => {
      em = await startEmulator({ conversations: 3000, days: 30, seed: 'newest-first' });
    });
    after(() => em.stop());

    it('the first conversations stored are the newest, and the copy answers about them at once', async () => {
      const store = (await freshStore(engine)).store;
      const api = new IntercomApi({ baseUrl: em.url, token: em.token });
      const now = Math.floor(Date.now() / 1000);
      const lastDay = em.workspace.live().filter((s) => s.updatedAt >= now - DAY).length;
      assert.ok(lastDay > 40, `${lastDay} conversations in the last day`);
      const abort = new AbortController();
      await assert.rejects(
        runSync(api, store, {
          defaultDays: 30,
          concurrency: 4,
          signal: abort.signal,
          onProgress: (p) => {
            if (p.fetched >= lastDay + 20) abort.abort();
          },
        }),
        SyncInterrupted,
      );
      const present = new Set<string>();
      for (const s of em.workspace.live()) if (await store.getConversation(s.id)) present.add(s.id);
      const stored = em.workspace.live().filter((s) => present.has(s.id));
      assert.ok(stored.length >= lastDay, 'the whole last day is stored');
      assert.ok(stored.length < 1000, 'and far from all of it');
      const newestMissing = Math.max(
        ...em.workspace
          .live()
          .filter((s) => !present.has(s.id))
          .map((s) => s.updatedAt),
      );
      const oldestStored = Math.min(...stored.map((s) => s.updatedAt));
      assert.ok(newestMissing < now - DAY, 'nothing of the last day is missing');
      assert.ok(oldestStored >= now - 7 * DAY, 'what is stored is from the most recent week');
      const covered = await store.coverage();
      assert.ok(
        covered.some((w) => w.from <= now - DAY + 5 && w.to >= now - 5),
        `the last day is covered while the rest fills: ${JSON.stringify(covered)}`,
      );
      const resumed = await runSync(api, store, { defaultDays: 30 });
      assert.equal(resumed.kind, 'resume');
      assert.equal(resumed.complete, true);
      await assertMirrors(store, em.workspace);
      const merged = await store.coverage();
      assert.ok(merged.some((w) => w.from <= now - 30 * DAY + 5) && merged.some((w) => w.to >= now - 5));
      await store.close();
    });
  });
