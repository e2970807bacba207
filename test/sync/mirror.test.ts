import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { runSync } from '../../src/sync/engine.js';
import { control } from '../helpers/http.js';
import { assertMirrors } from '../helpers/mirror.js';

for (const engine of ENGINES)
  describe(`sync mirrors the workspace (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let api: IntercomApi;

    before(async () => {
      em = await startEmulator({ conversations: 2500, days: 10, seed: 'mirror', longThreadRate: 0.004 });
      store = (await freshStore(engine)).store;
      api = new IntercomApi({ baseUrl: em.url, token: em.token });
    });
    after(async () => {
      await store.close();
      await em.stop();
    });

    it('a backfill stores every conversation, part, contact and tag link', async () => {
      const result = await runSync(api, store, { defaultDays: 30 });
      assert.equal(result.complete, true);
      assert.equal(result.fetched, 2500);
      assert.equal(await assertMirrors(store, em.workspace), 2500);
      const truncated = em.workspace.live().filter((s) => s.partCount > 500).length;
      assert.ok(truncated > 0);
      assert.equal(
        (await store.status()).truncatedThreads,
        truncated,
        'threads over the 500-part cap are recorded as truncated',
      );
      const threadCalls = result.callsByRoute['GET /conversations/{id}'];
      assert.equal(threadCalls, 2500, 'one retrieve per conversation');
      // Every record read whole costs one retrieve; the listing pages are the rest.
      const records = result.fetched + result.tickets + result.articles + result.companies;
      assert.equal(result.tickets, em.workspace.tickets.live().length);
      assert.equal(result.companies, em.workspace.companies.live().length);
      assert.ok(result.apiCalls / records <= 1.02, `calls per record ${result.apiCalls / records}`);
    });

    it('an unchanged workspace costs at most three calls', async () => {
      await control(em, 'DELETE', '/requests');
      const result = await runSync(api, store, { defaultDays: 30 });
      assert.equal(result.kind, 'incremental');
      assert.equal(result.fetched, 0);
      const counts = await control(em, 'GET', '/requests');
      // A conversation search, the deleted list and a ticket search: the Help Center is not due.
      assert.ok(counts.json.total <= 3, `${counts.json.total} calls: ${JSON.stringify(counts.json)}`);
    });

    it('an incremental sync fetches exactly the conversations that changed', async () => {
      const live = em.workspace.live();
      const changed = new Set<string>();
      for (const s of live.slice(10, 13)) {
        await control(em, 'POST', `/conversations/${s.id}/reply`, {
          author: 'contact',
          body: `Follow-up on ${s.id}`,
        });
        changed.add(s.id);
      }
      await control(em, 'POST', `/conversations/${live[20]!.id}/state`, { state: 'closed' });
      changed.add(live[20]!.id);
      const bulk = live.slice(30, 36).map((s) => s.id);
      await control(em, 'POST', '/conversations/bulk_state', { ids: bulk, state: 'closed' });
      bulk.forEach((id) => changed.add(id));
      for (let i = 0; i < 2; i++) {
        const created = await control(em, 'POST', '/conversations', { body: `New question number ${i}` });
        changed.add(created.json.id);
      }
      await control(em, 'DELETE', '/requests');
      const result = await runSync(api, store, { defaultDays: 30 });
      const counts = await control(em, 'GET', '/requests');
      assert.equal(counts.json.counts['GET /conversations/{id}'], changed.size);
      assert.equal(result.fetched, changed.size);
      await assertMirrors(store, em.workspace);
    });

    it('more than a page of conversations updated in one second is read whole', async () => {
      // A bulk close of 200: 50 more than a search page, all at one updated_at, so the pager must
      // page within that second rather than move its mark past it.
      const ids = em.workspace
        .live()
        .filter((s) => s.state !== 'closed')
        .slice(0, 200)
        .map((s) => s.id);
      assert.equal(ids.length, 200);
      const bulk = await control(em, 'POST', '/conversations/bulk_state', { ids, state: 'closed' });
      const seconds = new Set((bulk.json.conversations as { updated_at: number }[]).map((c) => c.updated_at));
      assert.equal(seconds.size, 1, 'one second for all');
      await control(em, 'DELETE', '/requests');
      const result = await runSync(api, store, { defaultDays: 30 });
      const counts = (await control(em, 'GET', '/requests')).json.counts as Record<string, number>;
      assert.equal(result.fetched, 200);
      assert.equal(counts['GET /conversations/{id}'], 200);
      assert.ok(
        counts['POST /conversations/search']! >= 3,
        'a full page, then cursor pages inside the second',
      );
      for (const id of ids) assert.equal((await store.getConversation(id))?.state, 'closed', id);
      await assertMirrors(store, em.workspace);
    });

    it('a re-read of the window marks conversations deleted in Intercom as deleted', async () => {
      const victim = em.workspace.live()[50]!;
      await control(em, 'DELETE', `/conversations/${victim.id}`);
      const now = Math.floor(Date.now() / 1000);
      const result = await runSync(api, store, { defaultDays: 30, since: now - 30 * 86400, force: false });
      assert.equal(result.deleted, 1);
      assert.ok((await store.getConversation(victim.id))?.deletedAt, 'kept locally, flagged deleted');
      await assertMirrors(store, em.workspace);
    });
  });
