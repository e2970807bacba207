import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINES } from '../helpers/engines.js';
import { SyncOutage } from '../../src/sync/deletions.js';
import { runSync, SyncInterrupted } from '../../src/sync/engine.js';
import { call, control } from '../helpers/http.js';
import { assertMirrors, syncedWorkspace } from '../helpers/mirror.js';

for (const engine of ENGINES)
  describe(`exact deletions from the deleted list (${engine.name})`, () => {
    const w = syncedWorkspace({ conversations: 400, days: 10, seed: 'deletions' }, engine);

    const deleteSome = async (n: number, from: number) => {
      const ids = w.em.workspace
        .live()
        .slice(from, from + n)
        .map((s) => s.id);
      for (const id of ids) await control(w.em, 'DELETE', `/conversations/${id}`);
      return ids;
    };

    it('serves the list newest first, page by page, and only to API 2.16', async () => {
      const ids = await deleteSome(3, 0);
      const first = await call(w.em, 'GET', '/conversations/deleted?per_page=2');
      assert.equal(first.status, 200);
      assert.equal(first.json.total_count, 3);
      assert.equal(first.json.pages.total_pages, 2);
      assert.match(first.json.pages.next, /page=2/);
      const second = await call(w.em, 'GET', '/conversations/deleted?per_page=2&page=2');
      const listed = [...first.json.conversations, ...second.json.conversations];
      assert.deepEqual(listed.map((d: { id: string }) => d.id).sort(), [...ids].sort());
      assert.ok(
        listed.every(
          (d: { deleted_at: number }, i: number) => i === 0 || d.deleted_at <= listed[i - 1].deleted_at,
        ),
      );
      assert.equal(second.json.pages.next, null);
      assert.equal((await call(w.em, 'GET', '/conversations/deleted?per_page=61')).status, 400);
      const old = await call(w.em, 'GET', '/conversations/deleted', undefined, { version: '2.14' });
      assert.equal(old.status, 400);
      assert.equal(old.json.errors[0].code, 'intercom_version_invalid');
    });

    it('an incremental sync removes them with page calls only', async () => {
      const ids = await deleteSome(4, 10);
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(result.kind, 'incremental');
      assert.ok(result.deleted >= ids.length);
      for (const id of ids)
        assert.ok((await w.store.getConversation(id))?.deletedAt, `${id} is marked deleted`);
      const counts = (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;
      assert.equal(counts['GET /conversations/{id}'] ?? 0, 0, 'no thread calls');
      assert.equal(counts['GET /conversations/deleted'], 1);
      await assertMirrors(w.store, w.em.workspace);
      const found = (
        await w.store.searchConversations({ text: 'the', sort: 'newest', limit: 500, offset: 0 })
      ).hits.map((h) => h.id);
      for (const id of ids) assert.ok(!found.includes(id), `${id} left the search`);
    });

    it('reads past the first page, back to where the last read stopped', async () => {
      const ids = await deleteSome(130, 20);
      const result = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.ok(result.deleted >= ids.length);
      assert.equal(
        result.callsByRoute['GET /conversations/deleted'],
        3,
        '130 deletions are three pages of 60',
      );
      await assertMirrors(w.store, w.em.workspace);
      // Everything here was deleted within the minute the next read looks back over again.
      const again = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(again.deleted, 0, 'reading the same stretch again changes nothing');
    });

    it('a resumed sync loses no deletion made while it was stopped', async () => {
      await control(w.em, 'PUT', '/latency', { fixedMs: 40, jitterMs: 0 });
      const abort = new AbortController();
      const running = runSync(w.api, w.store, {
        since: Math.floor(Date.now() / 1000) - 30 * 86400,
        force: true,
        signal: abort.signal,
        concurrency: 4,
        defaultDays: 30,
      });
      setTimeout(() => abort.abort(), 600);
      await assert.rejects(running, SyncInterrupted);
      await control(w.em, 'PUT', '/latency', { fixedMs: 0 });
      assert.ok(await w.store.getCheckpoint(), 'stopped at a checkpoint');
      const ids = await deleteSome(5, 200);
      const resumed = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(resumed.kind, 'resume');
      for (const id of ids)
        assert.ok((await w.store.getConversation(id))?.deletedAt, `${id} is marked deleted`);
      await assertMirrors(w.store, w.em.workspace);
    });

    it('treats a flood of 404s the list does not explain as an outage and keeps everything', async () => {
      const before = (await w.store.status()).conversations;
      await control(w.em, 'POST', '/faults/scripted', {
        route: 'GET /conversations/{id}',
        kind: '404',
        count: 100_000,
      });
      try {
        await assert.rejects(
          runSync(w.api, w.store, {
            since: Math.floor(Date.now() / 1000) - 30 * 86400,
            force: true,
            defaultDays: 30,
          }),
          (e: unknown) => e instanceof SyncOutage && /treating it as an outage/.test(e.message),
        );
      } finally {
        await control(w.em, 'DELETE', '/faults');
      }
      assert.equal(
        (await w.store.status()).conversations,
        before,
        'no stored conversation was marked deleted',
      );
      await runSync(w.api, w.store, { defaultDays: 30 });
      await assertMirrors(w.store, w.em.workspace);
    });
  });
