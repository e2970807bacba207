/** ProgressMeter: a share that never goes back while the total grows, and an ETA only when known. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEta, ProgressMeter } from '../../src/cli/progress-meter.js';

describe('ProgressMeter', () => {
  it('never shows less than before as the total grows (the demo went 99% → 18%)', () => {
    const meter = new ProgressMeter();
    const frames: [number, number][] = [
      [0, 0],
      [10, 20],
      [99, 100],
      [100, 550],
      [300, 550],
      [549, 550],
      [549, 1500],
      [1200, 1500],
      [1500, 1500],
    ];
    const shown = frames.map(
      ([done, total], i) => meter.frame({ done, total, elapsedMs: 1000 * (i + 1) }).percent,
    );
    assert.deepEqual(shown, [0, 50, 99, 99, 99, 99, 99, 99, 100]);
    for (let i = 1; i < shown.length; i++) assert.ok(shown[i]! >= shown[i - 1]!);
  });
  it('completes at 100%', () => {
    const meter = new ProgressMeter();
    meter.frame({ done: 3, total: 10, elapsedMs: 10 });
    assert.deepEqual(meter.complete(), { percent: 100, eta: '0s' });
  });
  it('says no ETA until there is a rate', () => {
    const meter = new ProgressMeter();
    assert.equal(meter.frame({ done: 0, total: 100, elapsedMs: 0 }).eta, '--');
    assert.equal(meter.frame({ done: 0, total: 100, elapsedMs: 5000 }).eta, '--');
    assert.equal(meter.frame({ done: 50, total: 100, elapsedMs: 5000 }).eta, '5s');
  });
});

describe('formatEta', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [59.4, '59s'],
    [60, '1m00s'],
    [3599, '59m59s'],
    [3600, '1h00m'],
    [7325, '2h02m'],
    [Infinity, '--'],
    [Number.NaN, '--'],
    [-1, '--'],
  ];
  for (const [seconds, text] of cases)
    it(`${seconds} → ${text}`, () => assert.equal(formatEta(seconds), text));
});
