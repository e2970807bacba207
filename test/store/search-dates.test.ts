/**
 * Text searches sorted by date, on every engine. The search first looks for the page among the
 * matches nearest that end of the rowid order and keeps it only when nothing stored beyond them
 * could come first: the results must equal a full sort whether the rows were stored in nearly the
 * order of updated_at (as a sync stores them) or in the opposite order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConversationState, SearchParams, Store } from '../../src/store/types.js';
import { ENGINES, freshStore, type TestEngine } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;
const N = 1200;

interface Model {
  id: string;
  updatedAt: number;
  state: ConversationState;
  matches: boolean;
}

const model: Model[] = Array.from({ length: N }, (_, i) => ({
  id: String(i + 1),
  updatedAt: T0 + (i + 1) * 60,
  state: i % 2 === 0 ? 'open' : 'closed',
  matches: i % 3 !== 0,
}));

async function storeIn(engine: TestEngine, order: Model[]): Promise<Store> {
  const { store } = await freshStore(engine);
  await store.saveConversations(
    order.map((m) =>
      conversationRecord(
        m.id,
        { createdAt: m.updatedAt - 3600, updatedAt: m.updatedAt },
        { subject: `case ${m.id}`, body: m.matches ? 'a refund please' : 'shipping question' },
        m.state,
      ),
    ),
  );
  return store;
}

const layouts: [string, Model[]][] = [
  // As a sync writes: pages in updated_at order, threads within a batch of 40 in any order.
  [
    'stored nearly in updated_at order',
    model.flatMap((_, i) => (i % 40 === 0 ? model.slice(i, i + 40).reverse() : [])),
  ],
  ['stored in the opposite order', [...model].reverse()],
];

for (const engine of ENGINES)
  for (const [layout, order] of layouts) {
    describe(`text search by date, ${layout} (${engine.name})`, () => {
      let store: Store;
      before(async () => {
        store = await storeIn(engine, order);
      });
      after(async () => {
        await store.close();
      });

      const cases: Partial<SearchParams>[] = [
        { sort: 'newest', offset: 0 },
        { sort: 'newest', offset: 300 },
        { sort: 'oldest', offset: 0 },
        { sort: 'oldest', offset: 40 },
        { sort: 'newest', offset: 0, state: 'open' },
        { sort: 'oldest', offset: 100, state: 'closed' },
      ];
      for (const c of cases) {
        it(`pages exactly: ${JSON.stringify(c)}`, async () => {
          const want = model
            .filter((m) => m.matches && (!c.state || m.state === c.state))
            .sort((a, b) => (c.sort === 'newest' ? b.updatedAt - a.updatedAt : a.updatedAt - b.updatedAt))
            .map((m) => m.id);
          const page = await store.searchConversations({
            text: 'refund',
            limit: 20,
            offset: 0,
            sort: 'newest',
            ...c,
          });
          assert.equal(page.total, want.length);
          assert.deepEqual(
            page.hits.map((h) => h.id),
            want.slice(c.offset!, c.offset! + 20),
          );
        });
      }
    });
  }
