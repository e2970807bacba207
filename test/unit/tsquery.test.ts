import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexText, toTsQuery } from '../../src/store/postgres/search-syntax.js';
import { parseSearchText } from '../../src/store/search-text.js';

describe('search text as a PostgreSQL tsquery', () => {
  for (const [typed, expected] of [
    ['refund', 'refund'],
    ['refund billing', 'refund & billing'],
    ['refund AND billing', 'refund & billing'],
    ['refund OR billing', 'refund | billing'],
    ['refund NOT billing', 'refund & !billing'],
    ['refund AND NOT billing', 'refund & !billing'],
    ['refund OR OR billing', 'refund | billing'],
    ['refu*', 'refu:*'],
    ['"double charged"', '(double <-> charged)'],
    // A star inside quotes is no prefix: the parser reads a phrase as whole words.
    ['"double charg*"', '(double <-> charg)'],
    ['"double charged" OR refund*', '(double <-> charged) | refund:*'],
    ['a OR b c NOT d', 'a | b & c & !d'],
  ] as const)
    it(`${JSON.stringify(typed)} → ${expected}`, () => {
      assert.equal(toTsQuery(parseSearchText(typed)), expected);
    });

  it('a phrase whose last word is a prefix ends in :*', () => {
    const terms = [{ words: ['double', 'charg'], prefix: true }];
    assert.equal(toTsQuery({ terms, words: ['double', 'charg'], asWords: [] }), '(double <-> charg:*)');
  });
});

describe('the text PostgreSQL indexes', () => {
  for (const [text, expected] of [
    ['plain words', 'plain words'],
    ['e-mail: a@b.co!', 'e mail a b co '],
    ['Ça marche, mañana 3.5', 'Ça marche mañana 3 5'],
    ['日本語のテキスト', '日本語のテキスト'],
    ['<|endoftext|> & (x)', ' endoftext x '],
    ['', ''],
  ] as const)
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(indexText(text), expected);
    });
});
