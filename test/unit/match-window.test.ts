import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowRows } from '../../src/store/postgres/match-window.js';

describe('the first window a PostgreSQL text search reads', () => {
  for (const [label, matches, live, need, expected] of [
    ['none needed', 5000, 100_000, 0, undefined],
    ['fewer matches than needed: read them all', 900, 100_000, 1001, undefined],
    ['as many as needed', 1001, 100_000, 1001, undefined],
    // 1.3 × 1,001 matches at 7.9% of the rows: 16,473 rows, about 7 ms against 20 ms for all 7,900.
    ['a common word at 100k', 7900, 100_000, 1001, 16_473],
    ['the same share at 1M: the same window', 79_000, 1_000_000, 1001, 16_473],
    ['a word in most rows', 82_503, 100_000, 1001, 1578],
    // 130,130 rows of window cost more than reading 10,000 matches.
    ['a rare word at 1M', 10_000, 1_000_000, 1001, undefined],
    ['a window as deep as the table', 3000, 3000, 2500, undefined],
    ['an empty table', 10, 0, 5, undefined],
    ['a short page of a common word', 465, 1200, 5, 17],
  ] as const)
    it(`${label}: ${expected ?? 'every match'}`, () => {
      assert.equal(windowRows(matches, live, need), expected);
    });

  it('grows with the page and shrinks as the word grows commoner', () => {
    const at = (matches: number, need: number) => windowRows(matches, 1_000_000, need)!;
    assert.ok(at(100_000, 1001) > at(100_000, 100));
    assert.ok(at(200_000, 1001) < at(100_000, 1001));
  });
});
