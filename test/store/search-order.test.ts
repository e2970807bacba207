/**
 * A text search's first matches in time order, on every engine, against a model of the copy.
 * PostgreSQL finds a common word's newest matches through windows of recent rows sized from the
 * planner's statistics (match-window.ts); here the word is common among old conversations and rare
 * among new ones, so a window sized from its share falls short and deeper ones must follow, and
 * the answers must still be exactly the model's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SearchParams, Store } from '../../src/store/types.js';
import { UPKEEP_AFTER_CONVERSATIONS } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;
const HOUR = 3600;
const OLD = 900;
const NEW = 300;

/** Old conversations ask for a refund every other one, new ones every twentieth. */
const asksRefund = (n: number) => (n <= OLD ? n % 2 === 0 : n % 20 === 0);

for (const engine of ENGINES)
  describe(`a text search's first matches in time order (${engine.name})`, () => {
    let store: Store;

    before(async () => {
      ({ store } = await freshStore(engine));
      const items = Array.from({ length: OLD + NEW }, (_, i) => {
        const n = i + 1;
        const body = asksRefund(n) ? 'a refund for the shipping' : 'shipping question';
        return conversationRecord(
          String(n),
          { createdAt: T0 + n * HOUR, updatedAt: T0 + n * HOUR },
          {
            subject: `case ${n}`,
            body,
          },
        );
      });
      for (let i = 0; i < items.length; i += 200) await store.saveConversations(items.slice(i, i + 200));
      // A run this large ends with the engine's upkeep: PostgreSQL's planner then knows each word's share.
      const run = await store.startRun('initial', T0, T0 + 2000 * HOUR);
      await store.finishRun(
        run,
        'succeeded',
        {
          conversations: Math.max(OLD + NEW, UPKEEP_AFTER_CONVERSATIONS),
          parts: 0,
          apiCalls: 0,
          rateLimited: 0,
        },
        null,
        T0 + 2000 * HOUR,
      );
    });
    after(async () => {
      await store.close();
    });

    const ids = (word: string, oldestFirst: boolean) => {
      const all = Array.from({ length: OLD + NEW }, (_, i) => i + 1).filter(
        (n) => word === 'shipping' || asksRefund(n),
      );
      return (oldestFirst ? all : all.reverse()).map(String);
    };
    const search = (p: Partial<SearchParams>) =>
      store.searchConversations({ text: 'refund', sort: 'newest', limit: 10, offset: 0, ...p });

    for (const word of ['refund', 'shipping'])
      for (const sort of ['newest', 'oldest'] as const)
        it(`pages "${word}" ${sort} first exactly, however deep the page`, async () => {
          const want = ids(word, sort === 'oldest');
          for (const [offset, limit] of [
            [0, 1],
            [3, 7],
            [0, 60],
            [7, 60],
            [0, 120],
            [100, 150],
          ] as const) {
            // Counting only whether any match leaves the page alone to decide how many are read:
            // past 50, PostgreSQL reads them through windows.
            const page = await search({ text: word, sort, offset, limit, countTo: 1 });
            assert.deepEqual(
              page.hits.map((h) => h.id),
              want.slice(offset, offset + limit),
              `${word} ${sort} offset ${offset} limit ${limit}`,
            );
            assert.equal(page.total, 1);
            assert.equal(page.more, true);
          }
        });

    it('counts every match up to the bound and ranks the newest', async () => {
      const want = ids('refund', false);
      const page = await search({ sort: 'relevance', limit: 5 });
      assert.equal(page.total, want.length);
      assert.equal(page.more, undefined);
      assert.equal(page.hits.length, 5);
      for (const h of page.hits) assert.ok(want.includes(h.id), `${h.id} asks for a refund`);
    });

    it('counts every match on a ranked page past the last one', async () => {
      const matches = ids('refund', false).length;
      const past = await search({ sort: 'relevance', offset: matches + 10, limit: 5 });
      assert.deepEqual(past.hits, []);
      assert.equal(past.total, matches);
      assert.equal(past.more, undefined);
      // Counted to fewer than match, the answer says how many it ranked: every one of them.
      const bounded = await search({ sort: 'relevance', offset: matches + 10, limit: 5, countTo: 3 });
      assert.deepEqual(bounded.hits, []);
      assert.equal(bounded.total, 3);
      assert.equal(bounded.more, true);
      assert.equal(bounded.ranked, matches);
      const last = await search({ sort: 'relevance', offset: matches - 2, limit: 5, countTo: 3 });
      assert.equal(last.hits.length, 2);
      assert.equal(last.ranked, matches);
    });
  });
