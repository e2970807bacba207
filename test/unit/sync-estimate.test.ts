/** What a sync would cost: calls, minutes and the pace they are said at, as tables of cases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncRunSummary } from '../../src/store/types.js';
import { describeEstimate, estimateSync, measuredPace } from '../../src/sync/estimate.js';

const run = (apiCalls: number, seconds: number, finished = true): SyncRunSummary => ({
  id: 1,
  kind: 'backfill',
  startedAt: 1_000_000,
  finishedAt: finished ? 1_000_000 + seconds : null,
  status: finished ? 'succeeded' : 'running',
  windowStart: null,
  conversations: 0,
  parts: 0,
  apiCalls,
  rateLimited: 0,
  error: null,
});

describe('the pace a run measured', () => {
  const cases: [string, SyncRunSummary | null, number | undefined][] = [
    ['no run', null, undefined],
    ['a run too small to say', run(99, 60), undefined],
    ['a run still going', run(5_000, 60, false), undefined],
    ['600 calls in 10 minutes', run(600, 600), 60],
    ['calls within one second count as one second', run(200, 0), 12_000],
  ];
  for (const [name, r, pace] of cases) it(name, () => assert.equal(measuredPace(r), pace));
});

describe('the estimate', () => {
  const cases: [string, number, number, number | undefined, number, string][] = [
    [
      'nothing to list still costs a page and the fixed calls',
      0,
      0,
      undefined,
      5,
      'about 5 API calls, under a minute',
    ],
    ['150 listed is one page', 150, 0, undefined, 5, 'about 5 API calls'],
    ['151 listed is two', 151, 0, undefined, 6, 'about 6 API calls'],
    ['threads cost one call each', 300, 120.4, undefined, 126, 'about 130 API calls'],
    ['a negative gap reads no thread', 10, -5, undefined, 5, 'about 5 API calls'],
    [
      'at the default limit',
      150_000,
      100_000,
      undefined,
      101_004,
      "about 100,000 API calls, about 11 minutes at Intercom's default rate limit",
    ],
    [
      'at a measured pace',
      1_500,
      1_000,
      60,
      1_014,
      "about 1,000 API calls, about 17 minutes at the last sync's pace",
    ],
    ['one minute exactly is one minute', 0, 55, 60, 60, 'about 60 API calls, about 1 minute'],
  ];
  for (const [name, listed, missing, pace, calls, words] of cases)
    it(name, () => {
      const e = estimateSync(listed, missing, pace);
      assert.equal(e.apiCalls, calls);
      assert.equal(e.measured, pace !== undefined);
      assert.ok(describeEstimate(e).startsWith(words), describeEstimate(e));
    });
});
