/** Buckets' labels in the chart views, the trends and the status page: a bucket that starts late says so. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketLabel, bucketLabels } from '../../src/views/bucket-label.js';

const cases: [string, string, string, string?][] = [
  ['2026-11-22T00:00:00-06:00', 'day', '2026-11-22'],
  ['2026-11-22T22:31:28-06:00', 'day', '2026-11-22 from 22:31'],
  ['2026-11-22T00:00:59Z', 'day', '2026-11-22'],
  ['2026-11-23T00:00:00+05:30', 'week', '2026-11-23'],
  ['2026-11-06T14:02:00-06:00', 'week', '2026-11-06 from 14:02 (part week)'],
  ['2026-12-01T00:00:00Z', 'week', '2026-12-01 (part week)'],
  ['2026-11-30T09:00:00+01:00', 'week', '2026-11-30 from 09:00 (part week)'],
  ['2026-11-30', 'week', '2026-11-30'],
  ['2026-11-01T00:00:00Z', 'month', '2026-11'],
  ['2026-11-22T00:00:00Z', 'month', '2026-11 from 11-22'],
  ['2026-11-22T22:31:00-06:00', 'month', '2026-11 from 11-22 22:31'],
  ['2026-11-22', 'day', '2026-11-22'],
  ['2026-12-07T00:00:00Z', 'day', '2026-12-07 to 07:47', '2026-12-07T07:47:12Z'],
  ['2026-12-07T00:00:00Z', 'day', '2026-12-07', '2026-12-08T00:00:00Z'],
  ['2026-12-06T23:00:00Z', 'day', '2026-12-06 from 23:00 to 23:30', '2026-12-06T23:30:00Z'],
  ['2026-12-07T00:00:00Z', 'week', '2026-12-07 to 07:47 (part week)', '2026-12-07T07:47:00Z'],
  ['2026-12-07T00:00:00Z', 'week', '2026-12-07 to 12-09 07:47 (part week)', '2026-12-09T07:47:00Z'],
  ['2026-12-07T00:00:00Z', 'week', '2026-12-07 to 12-10 (part week)', '2026-12-10T00:00:00Z'],
  ['2026-11-30T00:00:00Z', 'week', '2026-11-30', '2026-12-07T00:00:00Z'],
  ['2026-12-01T00:00:00Z', 'month', '2026-12 to 12-07 07:47', '2026-12-07T07:47:00Z'],
  ['2026-11-01T00:00:00Z', 'month', '2026-11', '2026-12-01T00:00:00Z'],
];

describe('a volume bucket label', () => {
  for (const [start, bucket, label, end] of cases)
    it(`${start}${end ? ` to ${end}` : ''} by ${bucket}: ${label}`, () =>
      assert.equal(bucketLabel(start, bucket, end), label));
  it('marks only the last of a series as ending early', () =>
    assert.deepEqual(
      bucketLabels(
        ['2026-12-05T07:47:00Z', '2026-12-06T00:00:00Z', '2026-12-07T00:00:00Z'],
        'day',
        '2026-12-07T07:47:00Z',
      ),
      ['2026-12-05 from 07:47', '2026-12-06', '2026-12-07 to 07:47'],
    ));
});
