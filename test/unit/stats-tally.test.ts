import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statsGrain } from '../../src/store/insight-rows.js';
import { LineFields } from '../../src/store/line-fields.js';
import { bucketOf, median, statsLines, tallyStats, type StatsGroups } from '../../src/store/stats-tally.js';

describe('the median of the stats', () => {
  for (const [values, expected] of [
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 3], // (2 + 3) / 2 = 2.5, rounded to whole seconds
    [[10, 20], 15],
    [[5, 5, 5, 5], 5],
    [[-4, 4], 0],
  ] as const)
    it(`of ${JSON.stringify(values)} is ${expected}`, () => {
      assert.equal(median([...values]), expected);
    });

  it('leaves the values it is given in their order', () => {
    const values = [3, 1, 2];
    median(values);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe('the bucket a time falls in', () => {
  const starts = [100, 200, 300];
  for (const [t, expected] of [
    [100, 0],
    [199, 0],
    [200, 1],
    [299, 1],
    [300, 2],
    [10_000, 2],
    // Before the first bucket: the window's filter keeps such rows out; counted in the first.
    [50, 0],
  ] as const)
    it(`${t} → bucket ${expected}`, () => {
      assert.equal(bucketOf(starts, t), expected);
    });

  it('with one bucket, every time is in it', () => {
    assert.equal(bucketOf([100], 5), 0);
    assert.equal(bucketOf([100], 500), 0);
  });
});

describe('what the engines count for a stats answer', () => {
  it('groups creation times by the quarter hour when every bucket but the first starts on one, else by the second', () => {
    const cases: [number[], number][] = [
      [[], 900],
      [[1_767_225_600, 1_767_312_000], 900],
      // Kathmandu's midnight, UTC+5:45, is on a quarter hour too.
      [[1_767_204_900], 900],
      [[1_767_225_600, 1_767_225_630], 1],
      // "last 365 days" starts at the second it was asked; the days after it at midnight.
      [[1_767_225_631, 1_767_312_000, 1_767_398_400], 900],
      [[1_767_225_631], 900],
      [[1_767_225_631, 1_767_312_000, 1_767_398_401], 1],
    ];
    for (const [buckets, grain] of cases) assert.equal(statsGrain(buckets), grain, JSON.stringify(buckets));
  });

  it('reads fields as written, several at once, empty ones and the last included', () => {
    const f = new LineFields('open a1  5 x');
    assert.equal(f.span(3), 'open a1 ');
    assert.equal(f.number(), 5);
    assert.equal(f.string(), 'x');
    assert.equal(f.done, true);
    assert.equal(new LineFields('a b').span(2), 'a b');
  });

  it('reads no conversations as empty buckets and no medians', () => {
    for (const text of [null, ''])
      assert.deepEqual(statsLines(text, [100, 200]), {
        volume: [
          [100, 0],
          [200, 0],
        ],
        groups: [],
        medianFirstResponse: null,
        medianClose: null,
      });
  });

  it('reads each conversation as a line: buckets, groups seen together, medians of the times reached', () => {
    const lines = [
      '120 open a1 m1 60 300', // in the first bucket
      '50 open a1 m1 -5 ', // before the first bucket's start: the window starts there
      '199 closed   20 610', // no admin, no team
      '200 open a1 m1  ', // neither time reached
      '9999 open a1 m1 10 ',
    ].join(' ');
    assert.deepEqual(statsLines(lines, [100, 200]), {
      volume: [
        [100, 3],
        [200, 2],
      ],
      groups: [
        ['open', 'a1', 'm1', 4],
        ['closed', null, null, 1],
      ],
      medianFirstResponse: 15, // -5, 10, 20, 60
      medianClose: 455, // 300, 610
    });
  });
});

describe('tallying the groups of a stats answer', () => {
  const names = {
    tags: new Map([
      ['t1', 'billing'],
      ['t2', 'bug'],
      ['t3', null],
    ]),
    admins: new Map([
      ['a1', 'Ana'],
      ['a2', 'Bo'],
    ]),
    teams: new Map([['m1', 'Support']]),
  };
  // Four conversations: created at 100, 150, 210 and 290, the last two grouped by a grain of 50.
  const groups: StatsGroups = {
    volume: [
      [100, 1],
      [150, 1],
      [200, 2],
    ],
    groups: [
      ['closed', 'a1', 'm1', 1],
      ['open', null, null, 1],
      ['open', 'a2', 'm1', 1],
      ['closed', 'a1', null, 1],
    ],
    medianFirstResponse: 20,
    medianClose: 455,
  };
  const stats = tallyStats(
    groups,
    [
      ['t2', 3],
      ['t1', 3],
      ['t3', 1],
    ],
    names,
    [100, 200],
  );

  it('counts every conversation once, by bucket and by state', () => {
    assert.equal(stats.total, 4);
    assert.deepEqual(stats.volume, [2, 2]);
    assert.deepEqual(stats.byState, { closed: 2, open: 2 });
  });

  it('ranks breakdowns by count, then by name; an unknown name is its id; none has its own word', () => {
    assert.deepEqual(stats.byTag, [
      { id: 't1', name: 'billing', count: 3 },
      { id: 't2', name: 'bug', count: 3 },
      { id: 't3', name: 't3', count: 1 },
    ]);
    assert.deepEqual(stats.byAssignee, [
      { id: 'a1', name: 'Ana', count: 2 },
      { id: 'a2', name: 'Bo', count: 1 },
      { id: null, name: 'unassigned', count: 1 },
    ]);
    // A tie is ordered by name as people read it: "no team" before "Support".
    assert.deepEqual(stats.byTeam, [
      { id: null, name: 'no team', count: 2 },
      { id: 'm1', name: 'Support', count: 2 },
    ]);
  });

  it("answers with the engine's medians", () => {
    assert.equal(stats.medianFirstResponseSeconds, 20);
    assert.equal(stats.medianTimeToCloseSeconds, 455);
  });

  it('answers an empty window with zeros and no medians', () => {
    const empty = tallyStats(
      { volume: [], groups: [], medianFirstResponse: null, medianClose: null },
      [],
      names,
      [100, 200, 300],
    );
    assert.deepEqual(
      {
        total: empty.total,
        volume: empty.volume,
        byTag: empty.byTag,
        first: empty.medianFirstResponseSeconds,
      },
      { total: 0, volume: [0, 0, 0], byTag: [], first: null },
    );
  });
});
