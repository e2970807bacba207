/** The deletion check's compact id set: integer ids in a sorted array, anything else in a Set. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SeenIds } from '../../src/sync/seen-ids.js';

it('answers membership exactly for integer and other ids, in any order, past its first growth', () => {
  const seen = new SeenIds();
  const added: string[] = [];
  // Descending then ascending, so that the array must be sorted before a lookup.
  for (let i = 3000; i > 0; i--) added.push(String(215_468_000 + i * 3));
  for (const id of ['0', '999999999999999', 'abc123', '5f3e9a0c1b2d4e6f7a8b9c0d']) added.push(id);
  for (const id of added) seen.add(id);
  for (const id of added) assert.ok(seen.has(id), id);
  for (const id of [
    '215468001',
    '215468000',
    '1',
    '007',
    '0215468003',
    'abc',
    '5f3e9a0c1b2d4e6f7a8b9c0e',
    '',
  ])
    assert.equal(seen.has(id), false, id);
  seen.add('7');
  assert.ok(seen.has('7'));
  assert.equal(seen.has('007'), false, 'a string with leading zeros is another id');
  assert.ok(seen.has('215468003'));
});
