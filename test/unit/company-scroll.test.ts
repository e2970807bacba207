/** The companies scroll's rules, at set times: one open at a time, expiry, the end, a network error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/emulator/api-errors.js';
import { SCROLL_PAGE, SCROLL_RESTART_MESSAGE, ScrollBook } from '../../src/emulator/company-scroll.js';

const ids = Array.from({ length: SCROLL_PAGE * 2 + 3 }, (_, i) => `c${i}`);
const live = () => ids;
const status = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return `${e.status} ${e.code}`;
    throw e;
  }
  return 'ok';
};

describe('the companies scroll', () => {
  it('walks every id once in pages, and its empty last page closes it', () => {
    const book = new ScrollBook(60);
    const seen: string[] = [];
    let param: string | null = null;
    for (let t = 0; ; t += 1000) {
      const page = book.page(param, live, t);
      if (page.ids.length === 0) break;
      seen.push(...page.ids);
      param = page.param;
    }
    assert.deepEqual(seen, ids);
    assert.equal(book.finished, 1);
    assert.equal(
      status(() => book.page(null, live, 10_000)),
      'ok',
      'a new scroll opens after the end',
    );
    assert.equal(book.refused, 0);
  });

  it('refuses a second scroll within the minute and counts it, and lets one open after', () => {
    const book = new ScrollBook(60);
    const first = book.page(null, live, 0);
    for (const [at, want] of [
      [1_000, '400 scroll_exists'],
      [59_999, '400 scroll_exists'],
      [60_000, 'ok'],
    ] as const)
      assert.equal(
        status(() => book.page(null, live, at)),
        want,
        `at ${at} ms`,
      );
    assert.equal(book.refused, 2);
    assert.equal(
      status(() => book.page(first.param, live, 60_001)),
      '400 parameter_invalid',
      'the old one expired',
    );
  });

  it('keeps a scroll alive while it is used', () => {
    const book = new ScrollBook(60);
    let { param } = book.page(null, live, 0);
    ({ param } = book.page(param, live, 50_000));
    assert.equal(
      status(() => book.page(param, live, 100_000)),
      'ok',
      'used 50 s ago, not 100',
    );
  });

  it('ends with a network error after the pages asked for, and cannot go on', () => {
    const book = new ScrollBook(60);
    book.breakAfterPages(1);
    const { param } = book.page(null, live, 0);
    assert.throws(
      () => book.page(param, live, 1),
      (e: unknown) => e instanceof ApiError && e.status === 500 && e.message === SCROLL_RESTART_MESSAGE,
    );
    assert.equal(
      status(() => book.page(param, live, 2)),
      '400 parameter_invalid',
    );
    assert.equal(
      status(() => book.page(null, live, 3)),
      'ok',
      'a restart opens at once',
    );
  });
});
