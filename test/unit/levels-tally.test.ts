/**
 * Service levels from the rows the engines read: a conversation's from its stored statistics (its
 * reopens judged from the close times when Intercom's count is missing), a ticket's from the
 * states its parts left it in; groups named from the directory, the trend by bucket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  tallyLevels,
  levelRows,
  ticketLevelRows,
  type ConversationLevelRow,
  type TicketLevelRow,
} from '../../src/store/levels-tally.js';
import { LineFields } from '../../src/store/line-fields.js';

const names = {
  tags: new Map<string, string | null>([['t1', 'Billing']]),
  admins: new Map<string, string | null>([['a1', 'Ana']]),
  teams: new Map<string, string | null>([['m1', 'Support']]),
};

/** One conversation created at 1000 (rid, then what differs). */
const conversation = (
  rid: number,
  o: {
    replied?: number;
    first?: number;
    last?: number;
    state?: string;
    reopens?: number | null;
    created?: number;
    tags?: string[];
  },
): ConversationLevelRow => [
  rid,
  o.created ?? 1000,
  o.replied ?? null,
  o.first ?? null,
  o.last ?? null,
  o.state ?? 'open',
  o.reopens === undefined ? 0 : o.reopens,
  rid % 2 ? 'a1' : null,
  'm1',
  o.tags ?? [],
];

const levelsOfOne = (row: ConversationLevelRow) =>
  tallyLevels([0], { of: 'conversations', rows: [row] }, names);

describe('the levels window as text', () => {
  const cases: [string, string, ConversationLevelRow[]][] = [
    ['nothing in the window', '', []],
    [
      'every field, then every null field',
      '7 1000 1060 1500 1800 closed 2 a1 m1 t1,t2\n8 2000    open    ',
      [
        [7, 1000, 1060, 1500, 1800, 'closed', 2, 'a1', 'm1', ['t1', 't2']],
        [8, 2000, null, null, null, 'open', null, null, null, []],
      ],
    ],
    [
      'a rid past 2^31',
      '1881159427424256 1794011712 1794011800 0 0 snoozed 0 a1 m1 x',
      [[1881159427424256, 1794011712, 1794011800, 0, 0, 'snoozed', 0, 'a1', 'm1', ['x']]],
    ],
  ];
  for (const [name, text, rows] of cases) it(name, () => assert.deepEqual(levelRows(text), rows));

  it('reads tickets, their facts as the store set them', () =>
    assert.deepEqual(ticketLevelRows('4 100 resolved 160 300 1 0 1 a1 \n5 200 submitted   0 0 0  m1'), [
      [4, 100, 'resolved', 160, 300, true, false, true, 'a1', null],
      [5, 200, 'submitted', null, null, false, false, false, null, 'm1'],
    ]));
});

describe('line fields', () => {
  const cases: [string, string, ('n' | 's')[], (number | string | null)[]][] = [
    ['numbers, a negative one and an empty one', '12 -3  7', ['n', 'n', 'n', 'n'], [12, -3, null, 7]],
    ['strings across a line break', 'a b\nc', ['s', 's', 's'], ['a', 'b', 'c']],
    ['an empty last field', 'x ', ['s', 's'], ['x', '']],
    ['a number past 2^31', '9007199254740991', ['n'], [9007199254740991]],
  ];
  for (const [name, text, kinds, want] of cases)
    it(name, () => {
      const f = new LineFields(text);
      assert.deepEqual(
        kinds.map((k) => (k === 'n' ? f.number() : f.string())),
        want,
      );
      assert.equal(f.done, true);
    });
});

describe('conversation rows', () => {
  const cases: [
    string,
    ConversationLevelRow,
    { closedFor: number | null; reopened: number; everClosed: number },
  ][] = [
    ['open, never closed', conversation(1, {}), { closedFor: null, reopened: 0, everClosed: 0 }],
    [
      'closed once',
      conversation(1, { first: 1500, last: 1500, state: 'closed' }),
      { closedFor: 500, reopened: 0, everClosed: 1 },
    ],
    [
      'closed, reopened, closed again: time to the last close',
      conversation(1, { first: 1500, last: 4000, state: 'closed', reopens: 1 }),
      { closedFor: 3000, reopened: 1, everClosed: 1 },
    ],
    [
      'reopened and open now: no time to close',
      conversation(1, { first: 1500, last: 1500, state: 'open', reopens: 1 }),
      { closedFor: null, reopened: 1, everClosed: 1 },
    ],
    [
      'no count of reopens: judged from a later close',
      conversation(1, { first: 1500, last: 4000, state: 'closed', reopens: null }),
      { closedFor: 3000, reopened: 1, everClosed: 1 },
    ],
    [
      'no count of reopens: judged from being open after a close',
      conversation(1, { first: 1500, last: 1500, state: 'snoozed', reopens: null }),
      { closedFor: null, reopened: 1, everClosed: 1 },
    ],
    [
      'no count of reopens, closed once: not reopened',
      conversation(1, { first: 1500, last: 1500, state: 'closed', reopens: null }),
      { closedFor: 500, reopened: 0, everClosed: 1 },
    ],
  ];
  for (const [name, row, want] of cases)
    it(name, () => {
      const l = levelsOfOne(row).overall;
      assert.equal(l.timeToClose.p50, want.closedFor);
      assert.equal(l.reopened, want.reopened);
      assert.equal(l.everClosed, want.everClosed);
    });

  it('counts the conversations whose reopens were judged', () => {
    const l = tallyLevels(
      [0],
      { of: 'conversations', rows: [conversation(1, { reopens: null }), conversation(2, {})] },
      names,
    );
    assert.equal(l.judgedReopens, 1);
  });

  it('names the groups, puts a conversation in each of its tags, and buckets the trend', () => {
    const rows = [
      conversation(1, { replied: 1060, tags: ['t1', 'gone'] }),
      conversation(2, { replied: 1600, created: 1000 }),
      conversation(3, { created: 5000, replied: 5030 }),
    ];
    const l = tallyLevels([0, 4000], { of: 'conversations', rows }, names);
    assert.deepEqual(
      l.byAssignee.map((g) => [g.name, g.levels.count]),
      [
        ['Ana', 2],
        ['unassigned', 1],
      ],
    );
    assert.deepEqual(
      l.byTag.map((g) => [g.name, g.levels.count]),
      [
        ['untagged', 2],
        ['Billing', 1],
        ['gone', 1],
      ],
    );
    assert.deepEqual(
      l.trend.map((t) => [t.count, t.firstResponse.p50]),
      [
        [2, 60],
        [1, 30],
      ],
    );
  });
});

describe('ticket rows', () => {
  const ticket = (row: TicketLevelRow) => tallyLevels([0], { of: 'tickets', rows: [row] }, names).overall;

  it('closes at the start of its last resolved stretch if resolved now', () => {
    const l = ticket([7, 1000, 'resolved', 1300, 3000, true, true, false, 'a1', 'm1']);
    assert.deepEqual([l.firstResponse.p50, l.timeToClose.p50, l.reopened, l.everClosed], [300, 2000, 1, 1]);
  });

  it('resolved, reopened and in progress now: ever closed, reopened, no time to close', () => {
    const l = ticket([7, 1000, 'in_progress', null, 1500, true, true, false, 'a1', 'm1']);
    assert.deepEqual([l.timeToClose.count, l.reopened, l.everClosed, l.firstResponse.count], [0, 1, 1, 0]);
  });

  it('with fewer parts stored than it has, its first response and reopens are unknown', () => {
    const l = ticket([7, 1000, 'resolved', 1200, 9000, true, false, true, 'a1', 'm1']);
    assert.equal(l.unknown, 1);
    assert.equal(l.firstResponse.count, 0);
    assert.equal(l.timeToClose.p50, 8000);
  });

  it('has no tags', () => {
    const l = tallyLevels(
      [0],
      { of: 'tickets', rows: [[7, 1000, 'submitted', null, null, false, false, false, null, null]] },
      names,
    );
    assert.deepEqual(l.byTag, []);
    assert.deepEqual(
      l.byTeam.map((g) => g.name),
      ['no team'],
    );
  });
});
