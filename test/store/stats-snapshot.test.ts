/**
 * Stats asked by many clients at once while the sync writes, on every engine: PostgreSQL scans a
 * window on two connections in one snapshot when the pool has one free, and on one when it does
 * not. Either way each answer's parts describe the same conversations: every conversation here
 * is tagged, so the tag's count, the states and the volume all sum to the total.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_750_000_000;
const STORED = 300;
const WRITTEN = 400;
const ASKED = 12;

const tagged = (n: number) => {
  const r = conversationRecord(
    `c${n}`,
    { createdAt: T0 + n, updatedAt: T0 + n },
    { subject: `case ${n}`, body: 'a question' },
    n % 3 === 0 ? 'closed' : 'open',
  );
  r.conversation.tagIds = ['billing'];
  return r;
};

for (const engine of ENGINES)
  describe(`stats asked at once while the copy changes (${engine.name})`, () => {
    let store: Store;

    before(async () => {
      // Opened as the HTTP server opens it, with readers beside the writer.
      ({ store } = await freshStore(engine, { readers: 2 }));
      await store.saveConversations(Array.from({ length: STORED }, (_, i) => tagged(i)));
    });
    after(async () => {
      await store.close();
    });

    it('answers each from one snapshot, however many ask', async () => {
      const ask = () =>
        store.conversationStats({ from: T0, to: T0 + 10_000, buckets: [T0, T0 + 5000], filters: {} });
      const writes = (async () => {
        for (let i = STORED; i < STORED + WRITTEN; i += 10)
          await store.saveConversations(Array.from({ length: 10 }, (_, k) => tagged(i + k)));
      })();
      // One at a time, PostgreSQL's pool has a connection free for each; all at once, it has not.
      const answers = [];
      for (let i = 0; i < ASKED; i++) answers.push(await ask());
      answers.push(...(await Promise.all(Array.from({ length: ASKED }, ask))));
      await writes;
      answers.push(await ask());
      for (const s of answers) {
        assert.ok(s.total >= STORED && s.total <= STORED + WRITTEN, `total ${s.total}`);
        assert.deepEqual(
          s.byTag.map((t) => t.count),
          [s.total],
          'the tag counted in the same snapshot as the rest',
        );
        assert.equal(
          Object.values(s.byState).reduce((a, b) => a + b, 0),
          s.total,
        );
        assert.equal(
          s.volume.reduce((a, b) => a + b, 0),
          s.total,
        );
      }
      assert.equal(answers.at(-1)!.total, STORED + WRITTEN);
    });
  });
