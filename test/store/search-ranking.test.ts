/**
 * Relevance ranking at scale, on every engine: past RANK_WINDOW matches only the most
 * recently stored ones that pass the filters are ranked (and paging ends there); below it the
 * ranking is exact; counts stop past COUNT_BOUND, and say so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COUNT_BOUND, RANK_WINDOW, type Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;

for (const engine of ENGINES)
  describe(`relevance ranking of a very common term (${engine.name})`, () => {
    let store: Store;
    const total = RANK_WINDOW + 200;
    // Stored first, so outside the newest RANK_WINDOW: the best match of all, and snoozed.
    const oldBest = '1';
    // Stored last but one: the best match inside the window.
    const newBest = String(total - 1);

    before(async () => {
      ({ store } = await freshStore(engine));
      const items = [];
      for (let n = 1; n <= total; n++) {
        const strong = String(n) === oldBest || String(n) === newBest;
        items.push(
          conversationRecord(
            String(n),
            { createdAt: T0 + n, updatedAt: T0 + n },
            {
              subject: strong ? 'refund refund refund' : `question ${n}`,
              body: strong
                ? 'refund please'
                : `a long message about billing and an eventual refund, number ${n}`,
            },
            String(n) === oldBest ? 'snoozed' : 'open',
          ),
        );
      }
      await store.saveConversations(items);
    });
    after(async () => {
      await store.close();
    });

    it('ranks the newest matches only, says so, and pages end at the window', async () => {
      const page = await store.searchConversations({
        text: 'refund',
        sort: 'relevance',
        limit: 20,
        offset: 0,
      });
      // Counted to the bound, and said to be more.
      assert.equal(page.total, COUNT_BOUND);
      assert.equal(page.more, true);
      assert.equal(page.ranked, RANK_WINDOW);
      assert.equal(page.hits[0]!.id, newBest);
      assert.ok(!page.hits.some((h) => h.id === oldBest));
      const oldest = total - RANK_WINDOW + 1;
      const tail = await store.searchConversations({
        text: 'refund',
        sort: 'relevance',
        limit: 20,
        offset: RANK_WINDOW - 10,
      });
      assert.equal(tail.hits.length, 10);
      for (const h of tail.hits) assert.ok(Number(h.id) >= oldest, `${h.id} is within the window`);
    });

    it('with filters, ranks among the matches that pass them: exact when few do, the newest window when many do', async () => {
      const page = await store.searchConversations({
        text: 'refund',
        state: 'snoozed',
        sort: 'relevance',
        limit: 20,
        offset: 0,
      });
      assert.equal(page.total, 1);
      assert.equal(page.more, undefined);
      assert.equal(page.ranked, undefined);
      assert.deepEqual(
        page.hits.map((h) => h.id),
        [oldBest],
      );
      const open = await store.searchConversations({
        text: 'refund',
        state: 'open',
        sort: 'relevance',
        limit: 3,
        offset: 0,
      });
      assert.deepEqual([open.total, open.more], [COUNT_BOUND, true]);
      assert.equal(open.ranked, RANK_WINDOW);
      assert.equal(open.hits[0]!.id, newBest);
      const openTail = await store.searchConversations({
        text: 'refund',
        state: 'open',
        sort: 'relevance',
        limit: 20,
        offset: RANK_WINDOW - 5,
      });
      assert.equal(openTail.hits.length, 5, 'pages end at the window');
      for (const h of openTail.hits)
        assert.ok(Number(h.id) > total - RANK_WINDOW, `${h.id} is within the window`);
    });

    it('pages by date end at the window too, and a count under the bound is exact', async () => {
      const newestTail = await store.searchConversations({
        text: 'refund',
        sort: 'newest',
        limit: 20,
        offset: RANK_WINDOW - 5,
      });
      assert.deepEqual(
        newestTail.hits.map((h) => Number(h.id)),
        [5, 4, 3, 2, 1].map((k) => total - RANK_WINDOW + k),
      );
      const past = await store.searchConversations({ sort: 'oldest', limit: 20, offset: RANK_WINDOW });
      assert.deepEqual([past.hits.length, past.total, past.more], [0, COUNT_BOUND, true]);
      const few = await store.searchConversations({
        text: 'refund',
        from: T0 + total - COUNT_BOUND + 1,
        sort: 'newest',
        limit: 1,
        offset: 0,
      });
      assert.deepEqual([few.total, few.more], [COUNT_BOUND, undefined]);
      const any = await store.searchConversations({
        text: 'refund',
        sort: 'newest',
        limit: 1,
        offset: 0,
        countTo: 1,
      });
      assert.deepEqual([any.total, any.more, any.hits.length], [1, true, 1]);
      const none = await store.searchConversations({
        text: 'zebra',
        sort: 'newest',
        limit: 1,
        offset: 0,
        countTo: 1,
      });
      assert.deepEqual([none.total, none.more], [0, undefined]);
    });

    it('ranks everything when the matches are fewer than the window', async () => {
      const page = await store.searchConversations({
        text: 'please',
        sort: 'relevance',
        limit: 5,
        offset: 0,
      });
      assert.equal(page.total, 2);
      assert.equal(page.ranked, undefined);
      assert.deepEqual(new Set(page.hits.map((h) => h.id)), new Set([oldBest, newBest]));
    });
  });
