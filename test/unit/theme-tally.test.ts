/**
 * Customers' terms as stored (packed hashes) and the themes counted from them, on hand-made rows:
 * only customers' words count; hashes survive packing; the baseline is counted only for the
 * period's candidates; a term inside a theme and grown no faster joins it, one grown faster stays
 * a theme; excluded words never rank; tags, teams and examples come from the theme's conversations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerTerms, MAX_TERMS, termHash, unpackTerms } from '../../src/store/customer-terms.js';
import { candidates, countHashes, shortlist, themesOf, type ThemeRow } from '../../src/store/theme-tally.js';
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
      assert.deepEqual(unpackTerms(t.packed), c.terms.map(termHash));
      assert.equal(t.packed.length, 6 * c.terms.length);
    });

  it(`keeps the first ${MAX_TERMS} terms of a long message`, () => {
    const words = Array.from({ length: 2 * MAX_TERMS }, (_, i) => `w${i.toString(36)}x`);
    const t = customerTerms([customer(words.join('. '))]);
    assert.equal(t.terms.size, MAX_TERMS);
    assert.equal([...t.terms.values()][0], words[0]);
  });

  it('packs hashes of 48 bits, unpacked from a view into a larger buffer', () => {
    const t = customerTerms([customer('zephyr connector')]);
    const inside = Buffer.concat([Buffer.from([1, 2, 3]), t.packed]).subarray(3);
    assert.deepEqual(unpackTerms(inside), [...t.terms.keys()]);
    for (const h of t.terms.keys()) assert.ok(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 48);
  });
});

/** A row of a conversation whose customer wrote `text`. */
let nextRid = 1;
function row(text: string, opts: { team?: string | null; at?: number } = {}): ThemeRow {
  const rid = nextRid++;
  return [rid, `c${rid}`, opts.at ?? rid, opts.team ?? null, customerTerms([customer(text)]).packed];
}

const request = (over: Partial<ThemesRequest> = {}): ThemesRequest => ({
  from: 0,
  to: 1,
  baselineFrom: 0,
  baselineTo: 0,
  filters: {},
  exclude: [],
  minCount: 2,
  limit: 5,
  ...over,
});

/** Runs the tally as an engine does, naming every hash seen. */
function tally(period: ThemeRow[], baseline: ThemeRow[], q = request(), tags: [number, string][] = []) {
  const p = countHashes(period);
  const ranking = candidates(p, q.minCount);
  const b = countHashes(baseline, ranking);
  const listed = shortlist(ranking, p, b, q);
  // The terms are named from the texts, as the engine's terms table would.
  const words = new Map<number, string>();
  for (const text of TEXTS) for (const [h, term] of customerTerms([customer(text)]).terms) words.set(h, term);
  return themesOf(q, period, p, b, new Map(listed.map((h) => [h, words.get(h)!])), tags, {
    tags: new Map([['t1', 'billing']]),
    teams: new Map([['team1', 'Support']]),
  });
}

const TEXTS = [
  'zephyr connector',
  'zephyr connector broken',
  'zephyr connector broken again',
  'invoice question',
  'invoice pdf',
  'refund please',
  'double charge refund',
  'old story',
];

describe('themes from packed terms', () => {
  it('counts conversations, not repeats, and leaves out the ones stored without terms', () => {
    const rows = [row('export export export'), row('export'), [99, 'c99', 1, null, null] as ThemeRow];
    const c = countHashes(rows);
    assert.equal(c.conversations, 3);
    assert.equal(c.unindexed, 1);
    assert.equal(c.counts.get(termHash('export')), 2);
  });

  it('counts the baseline only for the candidates', () => {
    const c = countHashes([row('export'), row('import')], new Map([[termHash('export'), 1]]));
    assert.deepEqual([...c.counts.keys()], [termHash('export')]);
  });

  it('ranks a new phrase first, its words and its companions joining it as related', () => {
    const period = [
      row('zephyr connector broken', { team: 'team1' }),
      row('zephyr connector broken again', { team: 'team1' }),
      row('zephyr connector broken'),
      row('zephyr connector', { at: 1000 }),
      row('invoice question'),
      row('invoice pdf'),
    ];
    const baseline = [row('invoice question'), row('invoice pdf'), row('old story'), row('old story')];
    const t = tally(period, baseline, request(), [[period[0]![0], 't1']]);
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
    assert.deepEqual(first.examples, [period[3]![1], period[2]![1], period[1]![1]]);
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
