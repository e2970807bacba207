/**
 * The copy's settings (meta): asked for together, as an answer's helpers ask for theirs, they are
 * read with one statement; each caller still gets its own key's value, never a cached one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINES, freshStore } from '../helpers/engines.js';

for (const engine of ENGINES) {
  describe(`settings asked for together (${engine.name})`, () => {
    it('give each caller its own key, a missing one undefined, and a change at once', async () => {
      const { store } = await freshStore(engine);
      try {
        await store.setMeta('a', '1');
        await store.setMeta('b', 'two');
        await store.setMeta("it's", 'quoted');
        const keys = ['b', 'missing', 'a', "it's", 'a'];
        assert.deepEqual(await Promise.all(keys.map((k) => store.getMeta(k))), [
          'two',
          undefined,
          '1',
          'quoted',
          '1',
        ]);
        await store.setMeta('a', 'changed');
        assert.deepEqual(await Promise.all([store.getMeta('a'), store.getMeta('b')]), ['changed', 'two']);
        // Asked for twice at once, as every answer does (its own and its health's), the status is one.
        const [first, second] = await Promise.all([store.status(), store.status()]);
        assert.equal(first, second);
      } finally {
        await store.close();
      }
    });
  });
}
