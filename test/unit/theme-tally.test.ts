/**
 * Customers' terms as stored (hash codes in text) and the themes counted from them, on hand-made
 * windows served as the engines serve them: only customers' words count; hashes survive their codes;
 * the baseline is counted only for the period's candidates; a term inside a theme and grown no
 * faster joins it, one grown faster stays a theme; excluded words never rank; tags, teams and
 * examples come from the theme's conversations; a window past the sample size is read in part and
 * its counts scaled.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  customerTerms,
  decodeHash,
  encodeHash,
  MAX_TERMS,
  termHash,
} from '../../src/store/customer-terms.js';
import { HashTable } from '../../src/store/hash-table.js';
import { runPlan } from '../../src/store/read-plan.js';
import { sampleBound, SAMPLE_RANGE } from '../../src/store/sample.js';
import { themePlan, themeTickets, windowParts, type ThemeRead } from '../../src/store/theme-tally.js';
import type { ThemesRequest } from '../../src/store/types.js';

const customer = (body: string | null) => ({ body, author: { type: 'user' as const } });
const teammate = (body: string) => ({ body, author: { type: 'admin' as const } });

describe('customer terms', () => {
  const cases: { name: string; messages: Parameters<typeof customerTerms>[0]; terms: string[] }[] = [
    { name: 'no messages', messages: [], terms: [] },
    { name: 'an empty body', messages: [customer(null), customer('')], terms: [] },
    { name: 'stop words only', messages: [customer('Hi, thanks so much for the help!')], terms: [] },
    {
      name: "a customer's words and phrases",
      messages: [customer('Export fails'), teammate('Restart the exporter')],
      terms: ['export', 'fails', 'export fails'],
    },
    {
      name: 'a lead and a contact count too, a bot does not',
      messages: [
        { body: 'refund', author: { type: 'lead' } },
        { body: 'invoice', author: { type: 'contact' } },
        { body: 'survey', author: { type: 'bot' } },
      ],
      terms: ['refund', 'invoice'],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const t = customerTerms(c.messages);
      assert.deepEqual([...t.terms.values()], c.terms);
      assert.deepEqual(
        (t.packed.match(/.{7}/g) ?? []).map((code) => decodeHash(code, 0)),
        c.terms.map(termHash),
      );
      assert.equal(t.packed.length, 7 * c.terms.length);
    });

  it(`keeps the first ${MAX_TERMS} terms of a long message`, () => {
    const words = Array.from({ length: 2 * MAX_TERMS }, (_, i) => `w${i.toString(36)}x`);
    const t = customerTerms([customer(words.join('. '))]);
    assert.equal(t.terms.size, MAX_TERMS);
    assert.equal([...t.terms.values()][0], words[0]);
  });

  it('writes hashes of 42 bits in seven characters and reads them back, edges included', () => {
    for (const hash of [0, 1, 2 ** 24 - 1, 2 ** 24, 2 ** 42 - 1, termHash('zephyr'), termHash('x y')]) {
      const code = encodeHash(hash);
      assert.match(code, /^[A-Za-z0-9_-]{7}$/);
      assert.equal(decodeHash(`ab${code}`, 2), hash);
    }
    for (const term of ['zephyr', 'connector', 'zephyr connector']) {
      const h = termHash(term);
      assert.ok(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 42);
    }
  });
});

describe('hash table', () => {
  it('counts, sets and grows past its first size without losing a key', () => {
    const t = new HashTable(2);
    const keys = Array.from({ length: 5000 }, (_, i) => termHash(`k${i}`));
    for (const k of keys) t.increment(k);
    for (const k of keys.slice(0, 100)) t.increment(k);
    t.increment(termHash('absent'), true);
    assert.equal(t.size, 5000);
    assert.equal(t.get(keys[0]!), 2);
    assert.equal(t.get(keys[4999]!), 1);
    assert.equal(t.get(termHash('absent')), undefined);
    assert.equal(t.has(termHash('absent')), false);
    t.set(keys[1]!, 7);
    assert.equal(t.get(keys[1]!), 7);
    assert.equal(
      [...t.entries()].reduce((n, [, v]) => n + v, 0),
      5000 + 100 + 5,
    );
  });

  it('keeps keys that share their low bits apart', () => {
    const t = new HashTable();
    const same = [5, 5 + 2 ** 24, 5 + 2 * 2 ** 24];
    same.forEach((k, i) => t.set(k, i + 1));
    assert.deepEqual(
      same.map((k) => t.get(k)),
      [1, 2, 3],
    );
  });
});

/** A conversation whose customer wrote `text` (null: stored before terms were kept). */
interface Row {
  rid: number;
  at: number;
  team: string | null;
  text: string | null;
  tags?: string[];
}
let nextRid = 1;
function row(text: string | null, opts: { team?: string | null; at?: number; tags?: string[] } = {}): Row {
  const rid = nextRid++;
  return {
    rid,
    at: opts.at ?? rid,
    team: opts.team ?? null,
    text,
    ...(opts.tags ? { tags: opts.tags } : {}),
  };
}

const request = (over: Partial<ThemesRequest> = {}): ThemesRequest => ({
  from: 0,
  to: 1_000_000,
  baselineFrom: -1_000_000,
  baselineTo: 0,
  filters: {},
  exclude: [],
  minCount: 2,
  limit: 5,
  sample: 1000,
  ...over,
});

/** The creation-second hash insight-rows.ts samples by. */
const sampled = (at: number, below: number) => ((at % 65536) * 40503) % 65536 < below;

/** Runs the plan over the windows as an engine would serve them; `period` rows get times inside q's period. */
function tally(
  period: Row[],
  baseline: Row[],
  q = request(),
  reversed = false,
  tickets: { id: string; at: number; text: string }[] = [],
) {
  const all = [...period, ...baseline.map((r) => ({ ...r, at: r.at - 1_000_000 }))];
  const words = new Map<number, string>();
  for (const r of all) for (const [h, term] of customerTerms([customer(r.text)]).terms) words.set(h, term);
  const inWindow = (r: { read: string; from: number; to: number; below?: number }) =>
    all.filter((x) => x.at >= r.from && x.at < r.to && sampled(x.at, r.below ?? SAMPLE_RANGE));
  const reads: ThemeRead[] = [];
  const t = runPlan(themePlan(q), (r) => {
    reads.push(r);
    switch (r.read) {
      case 'count':
        return inWindow(r).length;
      case 'window': {
        const lines = inWindow(r).map(
          (x) => `${x.rid} ${x.at} ${x.text === null ? '*' : customerTerms([customer(x.text)]).packed}`,
        );
        if (reversed) lines.reverse();
        // In r.parts values, as the engines group them by rid.
        const parts = Array.from({ length: r.parts }, (_, i) =>
          lines.filter((l) => Number(l.split(' ')[0]) % r.parts === i).join('\n'),
        );
        for (const part of parts) if (part.length > 0) r.each(part);
        return undefined;
      }
      case 'names':
        return r.hashes.map((h) => [h, words.get(h)!]);
      case 'members': {
        const lines = r.rids.map((rid) => {
          const x = all.find((y) => y.rid === rid)!;
          return `${rid} c${rid} ${x.team ?? ''} ${(x.tags ?? []).join(',')}`;
        });
        if (reversed) lines.reverse();
        return lines.join('\n');
      }
      case 'tickets':
        return (
          tickets.map((k) => `${k.at} ${k.id} ${customerTerms([customer(k.text)]).packed}`).join('\n') || null
        );
      case 'directory':
        return {
          tags: new Map([['t1', 'billing']]),
          teams: new Map([['team1', 'Support']]),
          admins: new Map(),
        };
    }
  });
  return Object.assign(t, { reads });
}

/** Ticket lines as THEME_TICKETS_SQL gives them: `created_at id codes`. */
const ticketLines = (tickets: [string, number, string][]) =>
  tickets.map(([id, at, text]) => `${at} ${id} ${customerTerms([customer(text)]).packed}`).join('\n');

describe("a theme's tickets", () => {
  const cases: [string, [string, number, string][], string[], string[][]][] = [
    ['none read', [], ['export'], [[]]],
    ['none with the term', [['7', 5, 'invoice question']], ['export'], [[]]],
    [
      'the newest three, a tie by id, newest first',
      [
        ['1', 10, 'export fails'],
        ['2', 30, 'export again'],
        ['3', 20, 'export'],
        ['4', 30, 'export broken'],
        ['5', 40, 'nothing here'],
      ],
      ['export'],
      [['4', '2', '3']],
    ],
    ['a term written twice names the ticket once', [['9', 1, 'export export export']], ['export'], [['9']]],
    [
      'each theme its own, a phrase by its own hash',
      [
        ['1', 1, 'zephyr connector down'],
        ['2', 2, 'zephyr only'],
      ],
      ['zephyr connector', 'zephyr'],
      [['1'], ['2', '1']],
    ],
  ];
  for (const [name, tickets, terms, expected] of cases)
    it(name, () =>
      assert.deepEqual(
        themeTickets(
          terms.map((term) => ({ term })),
          ticketLines(tickets),
        ),
        expected,
      ),
    );

  it('are read only when tickets can be narrowed as the conversations were', () => {
    const period = [row('export'), row('export')];
    const tickets = [{ id: 'k1', at: 5, text: 'export fails' }];
    assert.deepEqual(tally(period, [], request(), false, tickets).themes[0]!.tickets, ['k1']);
    for (const filters of [{ tagId: 't1' }, { state: 'open' as const }, { text: 'export' }]) {
      const t = tally(period, [], request({ filters }), false, tickets);
      assert.ok(!t.reads.some((r) => r.read === 'tickets'), JSON.stringify(filters));
      assert.equal(t.ticketsShown, false);
    }
    const team = tally(period, [], request({ filters: { teamAssigneeId: 'team1' } }), false, tickets);
    assert.equal(team.ticketsShown, true);
  });
});

describe('themes from packed terms', () => {
  it('counts conversations, not repeats, and leaves out the words of the ones stored without terms', () => {
    const t = tally([row('export export export'), row('export'), row(null)], []);
    assert.equal(t.conversations, 3);
    assert.equal(t.unindexed, 1);
    assert.equal(t.themes[0]!.term, 'export');
    assert.equal(t.themes[0]!.count, 2);
  });

  it('reads the period, then the baseline, names only the shortlist, then the groups of the themes', () => {
    const t = tally([row('export'), row('export')], [row('import')]);
    assert.deepEqual(
      t.reads.map((r) => r.read),
      ['count', 'window', 'count', 'window', 'names', 'members', 'directory', 'tickets'],
    );
    const names = t.reads.find((r) => r.read === 'names');
    assert.deepEqual(names && 'hashes' in names ? names.hashes : [], [termHash('export')]);
    // The theme's two conversations, not the baseline's.
    const members = t.reads.find((r) => r.read === 'members');
    assert.deepEqual(members && 'rids' in members ? members.rids.length : 0, 2);
  });

  it('reads the groups of a sampled theme from an even spread of its conversations, scaled to all', () => {
    // Every third conversation is Support's; rids run on from the tests before.
    const period = Array.from({ length: 6000 }, (_, i) => row('export', { at: i + 1 }));
    for (const r of period) if (r.rid % 3 === 0) r.team = 'team1';
    const t = tally(period, [], request({ sample: 5000 }));
    assert.ok(t.read.period < t.conversations, 'the period is sampled');
    const members = t.reads.find((r) => r.read === 'members');
    const read = members && 'rids' in members ? members.rids.length : 0;
    assert.ok(read > 0 && read <= 3000 + 3, `${read} conversations' groups read`);
    const support = t.themes[0]!.teams.find((g) => g.name === 'Support')!;
    const truth = period.filter((r) => r.team === 'team1').length;
    assert.ok(Math.abs(support.count - truth) / truth < 0.05, `Support ${support.count}, truly ${truth}`);
    assert.equal(t.themes[0]!.examples.length, 3);
  });

  it('ranks a new phrase first, its words and its companions joining it as related', () => {
    const period = [
      row('zephyr connector broken', { team: 'team1' }),
      row('zephyr connector broken again', { team: 'team1' }),
      row('zephyr connector broken'),
      row('zephyr connector', { at: 900_000 }),
      row('invoice question'),
      row('invoice pdf'),
    ];
    const baseline = [row('invoice question'), row('invoice pdf'), row('old story'), row('old story')];
    period[0]!.tags = ['t1'];
    const t = tally(period, baseline);
    assert.equal(t.conversations, 6);
    assert.equal(t.baselineConversations, 4);
    const first = t.themes[0]!;
    assert.equal(first.term, 'zephyr connector');
    assert.equal(first.count, 4);
    assert.equal(first.baselineCount, 0);
    assert.equal(first.growth, null);
    assert.deepEqual(first.related, ['connector broken']);
    assert.deepEqual(first.teams, [
      { id: null, name: 'no team', count: 2 },
      { id: 'team1', name: 'Support', count: 2 },
    ]);
    assert.deepEqual(first.tags, [{ id: 't1', name: 'billing', count: 1 }]);
    assert.deepEqual(
      first.examples,
      [period[3]!, period[2]!, period[1]!].map((r) => `c${r.rid}`),
    );
    assert.ok(!t.themes.some((x) => x.term === 'invoice'), 'as common as before: no theme');
  });

  it('ranks a new problem inside an old subject, not the subject', () => {
    const period = [
      row('refund please'),
      row('refund please'),
      row('double charge refund'),
      row('double charge refund'),
      row('double charge refund'),
    ];
    const baseline = Array.from({ length: 8 }, () => row('refund please'));
    const t = tally(period, baseline);
    // Tied, the two phrases rank by name; the second joins the first.
    assert.equal(t.themes[0]!.term, 'charge refund');
    assert.deepEqual(t.themes[0]!.related, ['double charge']);
    assert.ok(!t.themes.some((x) => x.term === 'refund'), 'refund did not rise');
  });

  it('never ranks an excluded word, nor a phrase holding it', () => {
    const period = [row('zephyr connector broken'), row('zephyr connector broken again')];
    const t = tally(period, [], request({ exclude: ['Zephyr'] }));
    assert.ok(t.themes.length > 0);
    assert.ok(t.themes.every((x) => !x.term.split(' ').includes('zephyr')));
    assert.ok(t.themes.every((x) => x.related.every((r) => !r.includes('zephyr'))));
  });

  it('has nothing to rank in an empty period', () => {
    const t = tally([], [row('old story')]);
    assert.deepEqual(t.themes, []);
    assert.equal(t.conversations, 0);
  });
});

describe('the order rows come in', () => {
  it('changes nothing, ties included: an engine may join a window in any order', () => {
    // Hundreds of terms in exactly three conversations each, tied in score, past the shortlist.
    const period = Array.from({ length: 900 }, (_, i) => row(`w${Math.floor(i / 3)}q alpha${i % 7}`));
    const strip = ({ reads: _, ...t }: ReturnType<typeof tally>) => t;
    const forward = strip(tally(period, [], request({ minCount: 3, limit: 25 })));
    assert.ok(forward.themes.length > 0);
    assert.deepEqual(strip(tally(period, [], request({ minCount: 3, limit: 25 }), true)), forward);
  });
});

describe('a window past the sample size', () => {
  const bounds: [number, number, number][] = [
    [0, 100, SAMPLE_RANGE],
    [100, 100, SAMPLE_RANGE],
    [200, 100, SAMPLE_RANGE / 2],
    [10_000_000, 100, 1],
  ];
  for (const [total, sample, below] of bounds)
    it(`${total} conversations, a sample of ${sample}: read below ${below}`, () =>
      assert.equal(sampleBound(total, sample), below));

  // A window's values: about 150 lines each, at least one, of what the sample reads.
  const parts: [number, number, number][] = [
    [0, SAMPLE_RANGE, 1],
    [150, SAMPLE_RANGE, 1],
    [151, SAMPLE_RANGE, 2],
    [100_000, sampleBound(100_000, 10_000), 67],
    [10_000_000, 1, 2],
  ];
  for (const [total, below, n] of parts)
    it(`${total} conversations read below ${below}: ${n} values`, () =>
      assert.equal(windowParts(total, below), n));

  it('reads about the sample size, evenly, and scales the counts it shows to the whole window', () => {
    // Every other conversation, 2,000 in all, is about the planted theme; seconds on whole minutes.
    const period = Array.from({ length: 2000 }, (_, i) =>
      row(i % 2 ? 'quasar gateway' : `story${i % 50} ledger`, { at: i * 60 }),
    );
    const t = tally(period, [], request({ sample: 500 }));
    assert.equal(t.conversations, 2000);
    assert.ok(t.read.period > 400 && t.read.period < 600, `read ${t.read.period}`);
    const theme = t.themes.find((x) => x.term === 'quasar gateway')!;
    assert.ok(Math.abs(theme.count - 1000) < 150, `estimated ${theme.count} of 1,000`);
    const whole = tally(period, [], request({ sample: 5000 }));
    assert.equal(whole.read.period, 2000);
    assert.equal(whole.themes.find((x) => x.term === 'quasar gateway')!.count, 1000);
  });
});
