import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINES } from '../helpers/engines.js';
import { runSync } from '../../src/sync/engine.js';
import { control } from '../helpers/http.js';
import { assertMirrors, syncedWorkspace } from '../helpers/mirror.js';

for (const engine of ENGINES)
  describe(`changes that add no part cost no thread call (${engine.name})`, () => {
    const w = syncedWorkspace({ conversations: 1000, days: 10, seed: 'metadata' }, engine);

    // Conversations that had metadata applied since their last full read: the ones read again later.
    let inPlace = 0;
    const threadCalls = async () =>
      ((await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>)[
        'GET /conversations/{id}'
      ] ?? 0;

    it('a day of mixed changes fetches only the threads whose parts changed', async () => {
      const live = w.em.workspace.live();
      const billing = w.em.workspace.directory.tagByName('billing');
      const withParts = new Set<string>();
      const withoutParts = new Set<string>();
      for (const s of live.slice(0, 5)) {
        await control(w.em, 'POST', `/conversations/${s.id}/reply`, {
          author: 'contact',
          body: `More on ${s.id}`,
        });
        withParts.add(s.id);
      }
      for (const s of live.slice(5, 8).filter((x) => x.state !== 'closed')) {
        await control(w.em, 'POST', `/conversations/${s.id}/state`, { state: 'closed' });
        withParts.add(s.id);
      }
      const edits: Record<string, unknown>[] = [
        { addTag: billing.id },
        { removeTag: billing.id },
        { priority: true },
        { priority: false },
        { read: true },
        { read: false },
        { attribute: true },
      ];
      for (const [i, s] of live.slice(10, 31).entries()) {
        await control(w.em, 'POST', `/conversations/${s.id}/edit`, edits[i % edits.length]);
        withoutParts.add(s.id);
      }
      inPlace += withoutParts.size;
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(
        await threadCalls(),
        withParts.size,
        'one thread call per conversation whose parts changed',
      );
      assert.equal(result.fetched, withParts.size);
      assert.equal(result.updatedInPlace, withoutParts.size);
      await assertMirrors(w.store, w.em.workspace);
      for (const id of withoutParts) {
        const want = w.em.workspace.find(id)!;
        const got = (await w.store.getConversation(id))!;
        assert.deepEqual(
          [got.priority, got.read, got.updatedAt],
          [want.priority, want.read, want.updatedAt],
          id,
        );
      }
    });

    it('a redacted part leaves the copy when its thread is read again', async () => {
      // Away from the conversations changed above: a change in the same second as the last leaves updated_at as it was.
      const s = w.em.workspace
        .live()
        .slice(100)
        .find((x) => x.partCount >= 4)!;
      const before = (await w.store.getConversation(s.id))!.parts;
      const index = before.findIndex((p) => p.body);
      assert.ok(index >= 0, 'a part with text');
      await control(w.em, 'POST', `/conversations/${s.id}/edit`, { redactPart: index });
      const first = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(first.updatedInPlace, 1, 'the count did not change, so only metadata is applied');
      inPlace += 1;
      assert.equal(
        (await w.store.getConversation(s.id))!.parts[index]!.body,
        before[index]!.body,
        'not yet seen',
      );
      await new Promise((r) => setTimeout(r, 1100));
      await control(w.em, 'DELETE', '/requests');
      const second = await runSync(w.api, w.store, { defaultDays: 30, threadRereadSeconds: 0 });
      assert.equal(await threadCalls(), inPlace, 'each thread that had metadata applied is read again, once');
      assert.equal(second.fetched, inPlace);
      assert.equal((await w.store.getConversation(s.id))!.parts[index]!.body, '');
      await assertMirrors(w.store, w.em.workspace);
      const third = await runSync(w.api, w.store, { defaultDays: 30, threadRereadSeconds: 0 });
      assert.equal(third.fetched, 0, 'a thread read whole is not read again');
    });

    it('pages through more than a page of conversations updated in one second', async () => {
      const ids = w.em.workspace
        .live()
        .filter((s) => s.state !== 'closed')
        .slice(0, 160)
        .map((s) => s.id);
      assert.equal(ids.length, 160, 'more than the 150 a search page holds');
      await control(w.em, 'POST', '/conversations/bulk_state', { ids, state: 'closed' });
      const crowded = new Set(ids.map((id) => w.em.workspace.find(id)!.updatedAt));
      assert.equal(crowded.size, 1, 'all in one second');
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 30 });
      assert.equal(result.fetched, 160, 'every one of them, exactly once');
      assert.equal(await threadCalls(), 160);
      await assertMirrors(w.store, w.em.workspace);
    });
  });
