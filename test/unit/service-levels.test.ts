/** Service levels from hand-made rows: percentiles, rates, groups and the edges. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levelsBy, levelsOf, percentile, type LevelRow } from '../../src/insights/service-levels.js';

const row = (over: Partial<LevelRow> & { tags?: string[] } = {}): LevelRow & { tags: string[] } => ({
  createdAt: 1000,
  firstResponseAt: null,
  closedAt: null,
  everClosed: false,
  reopened: false,
  tags: [],
  ...over,
});

describe('percentile (nearest rank)', () => {
  const cases: [number[], number, number][] = [
    [[], 50, 0],
    [[7], 50, 7],
    [[7], 90, 7],
    [[1, 2], 50, 1],
    [[4, 1, 3, 2], 50, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100, 10],
    [[5, 5, 5], 0, 5],
  ];
  for (const [values, p, want] of cases)
    it(`p${p} of [${values.join(', ')}] is ${want}`, () => assert.equal(percentile(values, p), want));
});

describe('levelsOf', () => {
  it('has no times and no rate for nothing', () => {
    assert.deepEqual(levelsOf([]), {
      count: 0,
      firstResponse: { count: 0, p50: null, p90: null },
      timeToClose: { count: 0, p50: null, p90: null },
      reopenRate: null,
      reopened: 0,
      everClosed: 0,
      unknown: 0,
    });
  });

  it('counts only the answered for first response and only the closed for time to close', () => {
    const levels = levelsOf([
      row({ firstResponseAt: 1060 }),
      row({ firstResponseAt: 1600, closedAt: 4600, everClosed: true }),
      row(),
      row({ firstResponseAt: 1120, closedAt: 8200, everClosed: true, reopened: true }),
      row({ everClosed: true, reopened: true }),
    ]);
    assert.equal(levels.count, 5);
    assert.deepEqual(levels.firstResponse, { count: 3, p50: 120, p90: 600 });
    assert.deepEqual(levels.timeToClose, { count: 2, p50: 3600, p90: 7200 });
    assert.equal(levels.reopened, 2);
    assert.equal(levels.everClosed, 3);
    assert.equal(levels.reopenRate, 2 / 3);
  });

  it('counts a row of unknown history, and its close, but not its first response or reopens', () => {
    const levels = levelsOf([
      row({ firstResponseAt: 1060, closedAt: 2000, everClosed: true }),
      row({ firstResponseAt: 5000, closedAt: 9000, everClosed: true, reopened: true, unknown: true }),
    ]);
    assert.equal(levels.count, 2);
    assert.equal(levels.unknown, 1);
    assert.deepEqual(levels.firstResponse, { count: 1, p50: 60, p90: 60 });
    assert.deepEqual(levels.timeToClose, { count: 2, p50: 1000, p90: 8000 });
    assert.equal(levels.reopened, 0);
    assert.equal(levels.reopenRate, 0);
  });

  it('counts a reply stamped before the creation as immediate', () => {
    assert.equal(levelsOf([row({ firstResponseAt: 990 })]).firstResponse.p50, 0);
  });
});

describe('levelsBy', () => {
  it('puts a row in each of its groups, one without any in the null group, largest first', () => {
    const rows = [
      row({ tags: ['billing', 'urgent'], firstResponseAt: 1010 }),
      row({ tags: ['billing'], firstResponseAt: 1030 }),
      row({ tags: [] }),
    ];
    const by = levelsBy(rows, (r) => (r.tags.length > 0 ? r.tags : [null]));
    assert.deepEqual(
      by.map((g) => [g.key, g.levels.count, g.levels.firstResponse.p50]),
      [
        ['billing', 2, 10],
        [null, 1, null],
        ['urgent', 1, 10],
      ],
    );
  });
});
