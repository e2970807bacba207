import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchText, SearchTextError } from '../../src/store/search-text.js';
import { toFtsMatch } from '../../src/store/sqlite/search-syntax.js';
import { likeContains, likeStartsWith, subjectOf } from '../../src/store/text-match.js';

describe('search text', () => {
  it('reads words, phrases, prefixes and operator runs into a valid FTS5 query', () => {
    const cases: [string, string][] = [
      ['refund', '"refund"'],
      ['refund billing', '"refund" "billing"'],
      ['"credit card" declined', '"credit card" "declined"'],
      ['refun*', '"refun"*'],
      ['refund OR billing', '"refund" OR "billing"'],
      ['refund OR OR billing', '"refund" OR "billing"'],
      ['a AND AND b', '"a" AND "b"'],
      ['a NOT NOT b', '"a" NOT "b"'],
      ['a AND NOT b', '"a" NOT "b"'],
      ['OR refund OR', '"refund"'],
      ['AND refund', '"refund"'],
      ['refund -- OR ?? billing', '"refund" OR "billing"'],
      ['"unclosed phrase here', '"unclosed phrase here"'],
      ['e-mail (login)', '"e mail" "login"'],
      ['or and not', '"or" "and" "not"'],
      ['abc* def* ghi*', '"abc"* "def"* "ghi"*'],
      ['abc* def* "x y" ghi* jkl* OR mno*', '"abc"* "def"* "x y" "ghi"* "jkl" OR "mno"'],
    ];
    for (const [text, match] of cases) assert.equal(toFtsMatch(parseSearchText(text)), match, text);
  });

  it('keeps the first prefixes and names those searched as whole words', () => {
    const cases: [string, string[]][] = [
      ['refund', []],
      ['abc* def* ghi*', []],
      ['abc* def* ghi* jkl*', ['jkl*']],
      ['abc* "x y*" def* ghi* OR jkl* NOT mno*', ['jkl*', 'mno*']],
    ];
    for (const [text, asWords] of cases) assert.deepEqual(parseSearchText(text).asWords, asWords, text);
  });

  it('refuses what has no safe reading, with a specific message', () => {
    const cases: [string, RegExp][] = [
      ['NOT billing', /NOT needs a word before it/],
      ['refund OR NOT billing', /OR and NOT cannot stand together/],
      ['refund NOT OR billing', /cannot stand together/],
      ['*** ???', /has no words/],
      ['', /has no words/],
      ['w '.repeat(17), /more than 16 words/],
      ['x'.repeat(1001), /1001 characters long; at most 1000/],
      ['re* billing', /at least 3 letters before the \*/],
    ];
    for (const [text, message] of cases)
      assert.throws(
        () => parseSearchText(text),
        (e: unknown) => e instanceof SearchTextError && message.test(e.message),
        text,
      );
  });

  it('quotes at most a short prefix of the input in an error', () => {
    assert.throws(
      () => parseSearchText(`NOT ${'x'.repeat(900)}`),
      (e: Error) => e.message.length < 200,
    );
  });

  it('makes %, _ and \\ literal in a contains pattern', () => {
    assert.equal(likeContains('ab'), '%ab%');
    assert.equal(likeContains('50%_off\\'), '%50\\%\\_off\\\\%');
    assert.equal(likeStartsWith('ab'), 'ab%');
    assert.equal(likeStartsWith('50%_off\\'), '50\\%\\_off\\\\%');
  });

  it('names a conversation the same way everywhere', () => {
    const cases: [Parameters<typeof subjectOf>[0], string][] = [
      [{ title: 'Refund', subject: 'Re: refund', sourceBody: 'Hi' }, 'Refund'],
      [{ title: null, subject: 'Re: refund', sourceBody: 'Hi' }, 'Re: refund'],
      [{ title: '  ', subject: null, sourceBody: '\n First line \nsecond' }, 'First line'],
      [{ title: null, subject: null, sourceBody: 'x'.repeat(150) }, 'x'.repeat(100)],
      [{ title: null, subject: null, sourceBody: null }, '(no subject)'],
    ];
    for (const [c, want] of cases) assert.equal(subjectOf(c), want);
  });
});
