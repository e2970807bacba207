/** Splitting a stretch of `updated_at` into windows of whole seconds, the newest last. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitWindow } from '../../src/sync/ticket-windows.js';

describe('splitWindow', () => {
  const cases: { from: number; to: number; parts: number; want: [number, number][] }[] = [
    {
      from: 0,
      to: 10,
      parts: 2,
      want: [
        [0, 5],
        [5, 10],
      ],
    },
    {
      from: 0,
      to: 10,
      parts: 3,
      want: [
        [0, 3],
        [3, 7],
        [7, 10],
      ],
    },
    { from: 100, to: 101, parts: 5, want: [[100, 101]] },
    {
      from: 0,
      to: 3,
      parts: 10,
      want: [
        [0, 1],
        [1, 2],
        [2, 3],
      ],
    },
    { from: 5, to: 9, parts: 1, want: [[5, 9]] },
    { from: 5, to: 9, parts: 0, want: [[5, 9]] },
  ];
  for (const c of cases)
    it(`[${c.from}, ${c.to}) in ${c.parts}`, () =>
      assert.deepEqual(splitWindow(c.from, c.to, c.parts), c.want));

  it('covers the stretch exactly, without gaps or overlaps, for uneven lengths', () => {
    for (const [from, to, parts] of [
      [1_700_000_000, 1_700_604_800, 17],
      [0, 1_000_003, 7],
      [42, 59, 16],
    ] as const) {
      const windows = splitWindow(from, to, parts);
      assert.equal(windows[0]![0], from);
      assert.equal(windows.at(-1)![1], to);
      for (let i = 1; i < windows.length; i++) assert.equal(windows[i]![0], windows[i - 1]![1]);
      assert.ok(
        windows.every(([a, b]) => b > a),
        'no empty window',
      );
      assert.equal(windows.length, Math.min(parts, to - from));
    }
  });
});
