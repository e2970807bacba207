/**
 * Text searches within a time window, on every engine. The search bounds its full-text
 * matches by the window's lowest stored row and drops a window that holds everything; both must
 * leave the results exact, including for old conversations that changed recently.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SearchParams, Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;
const HOUR = 3600;

for (const engine of ENGINES)
  describe(`text search within a time window (${engine.name})`, () => {
    let store: Store;
    // The model the results are checked against: id → times and body.
    const model = new Map<string, { createdAt: number; updatedAt: number; body: string }>();

    const save = async (id: string, createdAt: number, updatedAt: number, body: string) => {
      model.set(id, { createdAt, updatedAt, body });
      await store.saveConversations([
        conversationRecord(id, { createdAt, updatedAt }, { subject: `case ${id}`, body }),
      ]);
    };
    const expected = (from: number, to = Infinity) =>
      [...model]
        .filter(([, c]) => c.updatedAt >= from && c.createdAt < to && /\brefund\b/.test(c.body))
        .sort(([, a], [, b]) => b.updatedAt - a.updatedAt)
        .map(([id]) => id);
    const search = (p: Partial<SearchParams>) =>
      store.searchConversations({ text: 'refund', sort: 'newest', limit: 500, offset: 0, ...p });

    before(async () => {
      ({ store } = await freshStore(engine));
      for (let n = 1; n <= 400; n++)
        await save(
          String(n),
          T0 + n * HOUR,
          T0 + n * HOUR,
          n % 2 === 0 ? 'refund requested' : 'shipping question',
        );
      // Old conversations that changed after the others: stored again, newest.
      await save('10', T0 + 10 * HOUR, T0 + 401 * HOUR, 'a second refund');
      await save('11', T0 + 11 * HOUR, T0 + 402 * HOUR, 'now a refund too');
      await save('12', T0 + 12 * HOUR, T0 + 403 * HOUR, 'resolved');
    });
    after(async () => {
      await store.close();
    });

    it('finds exactly the matches active in a recent window, old conversations that changed included', async () => {
      const from = T0 + 350 * HOUR;
      const want = expected(from);
      assert.equal(want.length, 28);
      const page = await search({ from });
      assert.equal(page.total, want.length);
      assert.deepEqual(
        page.hits.map((h) => h.id),
        want,
      );
      const ranked = await search({ from, sort: 'relevance' });
      assert.equal(ranked.total, want.length);
      assert.deepEqual(new Set(ranked.hits.map((h) => h.id)), new Set(want));
    });

    it('applies the window’s end to creation time', async () => {
      const from = T0 + 350 * HOUR;
      const to = T0 + 360 * HOUR;
      const want = expected(from, to);
      assert.deepEqual(want, ['11', '10', '358', '356', '354', '352', '350']);
      assert.deepEqual(
        (await search({ from, to })).hits.map((h) => h.id),
        want,
      );
    });

    it('answers a window that holds every conversation as a search without one', async () => {
      const whole = await search({ from: T0, to: T0 + 1000 * HOUR });
      const none = await search({});
      assert.equal(whole.total, expected(0).length);
      assert.deepEqual(
        whole.hits.map((h) => h.id),
        none.hits.map((h) => h.id),
      );
      assert.equal(
        (await search({ from: T0 + 403 * HOUR + 1 })).total,
        0,
        'a window after everything is empty',
      );
    });
  });
