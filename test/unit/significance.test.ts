/** The themes' scoring on small hand-made corpora: G², what ranks, and the edges. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLikelihood, rankTerms, type TermCounts } from '../../src/insights/significance.js';

const counts = (conversations: number, terms: Record<string, number>): TermCounts => ({
  conversations,
  terms: new Map(Object.entries(terms)),
});
const rank = (period: TermCounts, baseline: TermCounts, minCount = 2, limit = 10) =>
  rankTerms(period, baseline, { minCount, limit });

describe('logLikelihood', () => {
  // Values checked against the textbook formula 2·Σ O·ln(O/E).
  const reference = (a: number, b: number, c: number, d: number) => {
    const n = a + b + c + d;
    const cells = [
      [a, ((a + b) * (a + c)) / n],
      [b, ((a + b) * (b + d)) / n],
      [c, ((c + d) * (a + c)) / n],
      [d, ((c + d) * (b + d)) / n],
    ];
    return 2 * cells.reduce((s, [o, e]) => s + (o! > 0 ? o! * Math.log(o! / e!) : 0), 0);
  };
  const tables: [number, number, number, number][] = [
    [10, 1, 90, 399],
    [1, 1, 1, 1],
    [40, 0, 60, 400],
    [0, 5, 100, 395],
    [3, 12, 97, 388],
    [1, 0, 0, 0],
  ];
  for (const t of tables)
    it(`[${t.join(', ')}]`, () => assert.ok(Math.abs(logLikelihood(...t) - reference(...t)) < 1e-9));

  it('is 0 for an independent table and for an empty one', () => {
    assert.equal(logLikelihood(10, 40, 90, 360), 0);
    assert.equal(logLikelihood(0, 0, 0, 0), 0);
  });

  it('grows with the evidence at the same shares', () => {
    assert.ok(logLikelihood(20, 2, 80, 398) > logLikelihood(10, 1, 40, 199));
  });
});

describe('rankTerms', () => {
  it('ranks a term new this period above one as common as ever, and drops what fell', () => {
    const period = counts(100, { refund: 30, login: 10, invoice: 4 });
    const baseline = counts(400, { refund: 2, login: 40, invoice: 60 });
    const ranked = rank(period, baseline);
    assert.deepEqual(
      ranked.map((t) => t.term),
      ['refund'],
      'login is as common as usual (10% both), invoice fell',
    );
    const [refund] = ranked;
    assert.equal(refund!.count, 30);
    assert.equal(refund!.baselineCount, 2);
    assert.equal(refund!.expected, 0.5);
    assert.equal(refund!.growth, 60);
  });

  it('orders by score, ties by count, then by term', () => {
    const period = counts(50, { alpha: 10, beta: 10, gamma: 20 });
    const baseline = counts(200, { alpha: 1, beta: 1, gamma: 1 });
    assert.deepEqual(
      rank(period, baseline).map((t) => t.term),
      ['gamma', 'alpha', 'beta'],
    );
  });

  it('marks a term absent from the baseline as new (growth null)', () => {
    const [t] = rank(counts(20, { outage: 8 }), counts(80, { other: 5 }));
    assert.equal(t!.term, 'outage');
    assert.equal(t!.growth, null);
    assert.equal(t!.baselineCount, 0);
    assert.ok(t!.score > 0);
  });

  it('with an empty baseline, ranks by count, every term new, with no score', () => {
    const ranked = rank(counts(10, { crash: 3, export: 6, slow: 1 }), counts(0, {}));
    assert.deepEqual(
      ranked.map((t) => [t.term, t.count, t.growth, t.score]),
      [
        ['export', 6, null, 0],
        ['crash', 3, null, 0],
      ],
      'slow is under the minimum count',
    );
  });

  it('ranks nothing from one conversation, or from terms under the minimum', () => {
    assert.deepEqual(rank(counts(1, { crash: 1 }), counts(50, {})), []);
    assert.deepEqual(rank(counts(1, { crash: 1 }), counts(50, {}), 1).length, 1);
  });

  it('ranks nothing from an empty period or one with no terms (all stop words)', () => {
    assert.deepEqual(rank(counts(0, {}), counts(50, { crash: 3 })), []);
    assert.deepEqual(rank(counts(12, {}), counts(50, { crash: 3 })), []);
  });

  it('lets a phrase stand in for the word it mostly holds, and keeps a word that is more', () => {
    const period = counts(100, { 'password reset': 20, reset: 22, password: 60 });
    const baseline = counts(400, { 'password reset': 1, reset: 2, password: 8 });
    const terms = rank(period, baseline).map((t) => t.term);
    assert.ok(terms.includes('password reset'));
    assert.ok(!terms.includes('reset'), 'reset is nearly always "password reset"');
    assert.ok(terms.includes('password'), 'password appears far beyond the phrase');
  });

  it('returns at most the limit', () => {
    const terms = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`t${i}`, 5 + i]));
    assert.equal(rank(counts(100, terms), counts(100, {}), 2, 7).length, 7);
  });
});
