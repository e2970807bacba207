import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSyncIn } from '../../src/sync/schedule.js';

describe('when the leader syncs next', () => {
  it('waits the interval after a success, and retries a failure sooner, then less often', () => {
    const cases: [interval: number, failures: number, ms: number][] = [
      [10, 0, 600_000],
      [10, 1, 15_000],
      [10, 2, 30_000],
      [10, 3, 60_000],
      [10, 5, 240_000],
      [10, 6, 480_000],
      [10, 7, 600_000],
      [10, 500, 600_000],
      [1, 3, 60_000],
      [1, 4, 60_000],
    ];
    for (const [interval, failures, ms] of cases)
      assert.equal(nextSyncIn(interval, failures), ms, `interval ${interval} min, ${failures} failures`);
  });

  it('has no timer when the interval is 0, but still retries a failed sync', () => {
    assert.equal(nextSyncIn(0, 0), Infinity);
    assert.equal(nextSyncIn(0, 1), 15_000);
    assert.equal(nextSyncIn(-5, 0), Infinity);
  });
});
