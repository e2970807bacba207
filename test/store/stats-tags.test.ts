/**
 * The stats' tag counts, on every engine, against a model: a window that holds most of the copy
 * is counted as every tag link less those outside it (insight-rows.ts), one that holds little by
 * its own conversations, and a filtered one always by its own. Deleted conversations count in
 * none of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SearchFilters, Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;
const HOUR = 3600;
const STORED = 200;
const DELETED = new Set([10, 11, 12, 13, 14, 15, 150, 151]);

const tagsOf = (n: number) => [...(n % 2 === 0 ? ['even'] : []), ...(n % 5 === 0 ? ['fives'] : [])];
const stateOf = (n: number) => (n % 3 === 0 ? 'closed' : 'open');

for (const engine of ENGINES)
  describe(`the stats' tag counts (${engine.name})`, () => {
    let store: Store;

    before(async () => {
      ({ store } = await freshStore(engine));
      await store.saveTags([
        { id: 'even', name: 'Even' },
        { id: 'fives', name: 'Fives' },
      ]);
      await store.saveConversations(
        Array.from({ length: STORED }, (_, i) => {
          const r = conversationRecord(
            `c${i}`,
            { createdAt: T0 + i * HOUR, updatedAt: T0 + i * HOUR },
            { subject: `case ${i}`, body: 'a question' },
            stateOf(i),
          );
          r.conversation.tagIds = tagsOf(i);
          return r;
        }),
      );
      await store.markDeleted(
        [...DELETED].map((n) => `c${n}`),
        T0 + 1000 * HOUR,
      );
    });
    after(async () => {
      await store.close();
    });

    const expected = (from: number, to: number, state?: string) => {
      const counts = new Map<string, number>();
      for (let n = 0; n < STORED; n++) {
        const at = T0 + n * HOUR;
        if (DELETED.has(n) || at < from || at >= to || (state && stateOf(n) !== state)) continue;
        for (const t of tagsOf(n)) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => a.id.localeCompare(b.id));
    };

    for (const [label, fromHour, toHour, filters] of [
      ['every conversation', -1, 1000, {}],
      ['most of them', 5, 190, {}],
      ['a few', 148, 160, {}],
      ['none', 500, 600, {}],
      ['most of them, filtered by state', 5, 190, { state: 'closed' }],
    ] as const)
      it(`counts each tag in a window holding ${label}`, async () => {
        const from = T0 + fromHour * HOUR;
        const to = T0 + toHour * HOUR;
        const s = await store.conversationStats({
          from,
          to,
          buckets: [from],
          filters: filters as SearchFilters,
        });
        assert.deepEqual(
          s.byTag.map((t) => ({ id: t.id, count: t.count })).sort((a, b) => a.id!.localeCompare(b.id!)),
          expected(from, to, 'state' in filters ? filters.state : undefined),
        );
      });
  });
