/**
 * Themes, the same for both engines, as a read plan (read-plan.ts). Each window (the period, then
 * its baseline) is read as one text value, a line per conversation (THEME_WINDOW_SQL): per-row
 * values cost an allocation each, which at tens of thousands of rows was most of the answer's time.
 * The period's term hashes are counted in a typed table (hash-table.ts), the baseline's only for
 * the terms common enough to rank, and only a shortlist of the best is named from the `terms`
 * table before the final ranking (insights/significance.ts), which needs the words to tell a phrase
 * from the words inside it. The themes then get their tags, teams and newest examples.
 *
 * A large window is read as a sample (sample.ts): significance is scored on what was read, and the
 * counts shown are scaled to the whole window. A theme worth the name is in hundreds of a large
 * window's conversations, and a sample of thousands finds it.
 */
import { logLikelihood, rankTerms } from '../insights/significance.js';
import { CODE_CHARS, decodeHash } from './customer-terms.js';
import { HashTable } from './hash-table.js';
import { LineFields } from './line-fields.js';
import type { ReadPlan } from './read-plan.js';
import { sampleBound, scaled } from './sample.js';
import { ranked, type StatsNames } from './stats-tally.js';
import type { ConversationThemes, NamedCount, Theme, ThemesRequest } from './types.js';

export type ThemeRead =
  | { read: 'count'; from: number; to: number }
  /** THEME_WINDOW_SQL's text over [from, to), sampled below `below`. */
  | { read: 'window'; from: number; to: number; below: number }
  | { read: 'names'; hashes: number[] }
  /** [rid, id] of these conversations. */
  | { read: 'ids'; rids: number[] }
  | { read: 'directory' };

const UNINDEXED = 42; // '*'

/** Where a line of a window's text has its parts: `rid created_at codes tags team`. */
interface Line {
  /** Its place among the window's lines, from 0, and where it starts in the text. */
  index: number;
  start: number;
  rid: number;
  createdAt: number;
  /** Its codes (customer-terms.ts) are in [codes, codesEnd); `*` for one stored before terms were kept. */
  codes: number;
  codesEnd: number;
  /** Then its tag ids, joined by commas, up to `tagsEnd`; then its team up to `end`. */
  tagsEnd: number;
  end: number;
}

const emptyLine = (): Line => ({
  index: 0,
  start: 0,
  rid: 0,
  createdAt: 0,
  codes: 0,
  codesEnd: 0,
  tagsEnd: 0,
  end: 0,
});

/** Reads the line starting at `start` into `line`, with `fields` over the same text. */
function readLine(text: string, start: number, line: Line, fields: LineFields): void {
  fields.at = start;
  line.start = start;
  line.rid = fields.number()!;
  line.createdAt = fields.number()!;
  line.codes = fields.at;
  line.codesEnd = text.indexOf(' ', line.codes);
  line.tagsEnd = text.indexOf(' ', line.codesEnd + 1);
  line.end = text.indexOf('\n', line.tagsEnd);
  if (line.end < 0) line.end = text.length;
}

/** Each conversation of a window's text (THEME_WINDOW_SQL), a line each; `line` is reused. */
function eachLine(text: string, visit: (line: Line) => void): void {
  const line = emptyLine();
  const fields = new LineFields(text);
  for (let at = 0; at < text.length; line.index++) {
    readLine(text, at, line, fields);
    visit(line);
    at = line.end + 1;
  }
}

/** A set of a window's lines, a bit each: a theme's conversations, compared with another's. */
class Lines {
  private readonly bits: Uint32Array;
  size = 0;

  constructor(lines: number) {
    this.bits = new Uint32Array((lines + 31) >>> 5);
  }

  add(line: number): void {
    const word = line >>> 5;
    const bit = 1 << (line & 31);
    if (this.bits[word]! & bit) return;
    this.bits[word]! |= bit;
    this.size++;
  }

  has(line: number): boolean {
    return (this.bits[line >>> 5]! & (1 << (line & 31))) !== 0;
  }

  /** How many lines both hold. */
  shared(other: Lines): number {
    let n = 0;
    for (let w = 0; w < this.bits.length; w++) {
      let x = this.bits[w]! & other.bits[w]!;
      // Bits set in x, counted in parallel (a population count).
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      n += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    return n;
  }
}

export interface WindowCounts {
  /** Conversations in the window, and how many of them were read. */
  total: number;
  read: number;
  /** Read but stored before their terms were kept: counted, but their words are not. */
  unindexed: number;
  /** Conversations read using each hash. */
  counts: HashTable;
}

/** Counts a window's terms; with `among`, only those hashes. */
export function countWindow(text: string, total: number, among?: HashTable): WindowCounts {
  const counts = new HashTable(among ? among.size : 4096);
  if (among) for (const [hash] of among.entries()) counts.set(hash, 0);
  let read = 0;
  let unindexed = 0;
  eachLine(text, ({ codes, codesEnd }) => {
    read++;
    if (text.charCodeAt(codes) === UNINDEXED) unindexed++;
    else
      for (let at = codes; at < codesEnd; at += CODE_CHARS) counts.increment(decodeHash(text, at), !!among);
  });
  return { total, read, unindexed, counts };
}

/** The period's hashes in enough conversations to rank. */
export function candidates(period: WindowCounts, minCount: number): HashTable {
  const kept = new HashTable(256);
  for (const [hash, n] of period.counts.entries()) if (n >= minCount) kept.set(hash, n);
  return kept;
}

/**
 * The hashes worth naming, among the candidates: those that rose, by the same score and order the
 * final ranking uses, with room for the phrases and excluded words the ranking will drop.
 */
export function shortlist(
  ranking: HashTable,
  period: WindowCounts,
  baseline: WindowCounts,
  q: Pick<ThemesRequest, 'limit'>,
): number[] {
  const n1 = period.read - period.unindexed;
  const n2 = baseline.read - baseline.unindexed;
  const scored: { hash: number; a: number; score: number }[] = [];
  for (const [hash, a] of ranking.entries()) {
    const b = baseline.counts.get(hash) ?? 0;
    if (n2 > 0 && a <= (b * n1) / n2) continue;
    scored.push({ hash, a, score: n2 > 0 ? logLikelihood(a, b, n1 - a, n2 - b) : 0 });
  }
  // Ties broken by hash: the table's order depends on the order rows came in, which an engine may vary.
  scored.sort((x, y) => y.score - x.score || y.a - x.a || x.hash - y.hash);
  return scored.slice(0, Math.max(200, q.limit * 10)).map((s) => s.hash);
}

const EXAMPLES = 3;
const GROUPS = 3;
const RELATED = 5;
/**
 * A term mostly found in the conversations of a higher-ranked theme, and grown no faster than it,
 * is part of it, not a theme of its own ("errors across" beside "connector errors"): it is listed
 * as related. A new problem inside a big old subject ("double charge" within "refund") grew much
 * faster than the subject, and stays a theme.
 */
const INSIDE_SHARE = 0.8;
const FASTER = 1.5;
const growthOf = (t: { growth: number | null }) => t.growth ?? Infinity;

/** A ranked theme before its examples are named: their rids, newest first. */
export type RankedTheme = Omit<Theme, 'examples'> & { exampleRids: number[] };

/** The ranked themes, each with the tags and teams of its conversations and its newest examples. */
export function rankThemes(
  q: Pick<ThemesRequest, 'exclude' | 'minCount' | 'limit'>,
  text: string,
  period: WindowCounts,
  baseline: WindowCounts,
  names: Map<number, string>,
  directory: Pick<StatsNames, 'tags' | 'teams'>,
): RankedTheme[] {
  const excluded = new Set(q.exclude.map((w) => w.toLowerCase()));
  const hashOf = new Map<string, number>();
  const counted = (from: WindowCounts) => {
    const terms = new Map<string, number>();
    for (const [hash, term] of names) {
      if (term.split(' ').some((w) => excluded.has(w))) continue;
      hashOf.set(term, hash);
      const n = from.counts.get(hash);
      if (n) terms.set(term, n);
    }
    return { conversations: from.read - from.unindexed, terms };
  };
  // More than asked for: some will join a theme above them as related terms.
  const scored = rankTerms(counted(period), counted(baseline), {
    minCount: q.minCount,
    limit: q.limit * 4,
  });

  // First which lines each ranked term is on (a bit each), for the themes to absorb their parts;
  // then the groups and examples of the themes kept, each line read once.
  const wanted = new HashTable(scored.length);
  scored.forEach((t, i) => wanted.set(hashOf.get(t.term)!, i));
  const starts = new Array<number>(period.read);
  const lines = scored.map(() => new Lines(period.read));
  eachLine(text, ({ index, start, codes, codesEnd }) => {
    starts[index] = start;
    if (text.charCodeAt(codes) === UNINDEXED) return;
    for (let c = codes; c < codesEnd; c += CODE_CHARS) {
      const i = wanted.get(decodeHash(text, c));
      if (i !== undefined) lines[i]!.add(index);
    }
  });

  const kept: { index: number; related: string[] }[] = [];
  scored.forEach((t, i) => {
    const mine = lines[i]!;
    const home = kept.find(
      ({ index }) =>
        growthOf(t) <= FASTER * growthOf(scored[index]!) &&
        mine.shared(lines[index]!) >= INSIDE_SHARE * mine.size,
    );
    if (home) {
      if (home.related.length < RELATED) home.related.push(t.term);
    } else if (kept.length < q.limit) kept.push({ index: i, related: [] });
  });

  const detail = kept.map(() => ({
    tags: new Map<string | null, number>(),
    teams: new Map<string | null, number>(),
    examples: [] as { rid: number; at: number }[],
  }));
  const add = (m: Map<string | null, number>, key: string | null) => m.set(key, (m.get(key) ?? 0) + 1);
  const newer = (x: { rid: number; at: number }, y: { rid: number; at: number }) =>
    x.at > y.at || (x.at === y.at && x.rid > y.rid);
  const line = emptyLine();
  const fields = new LineFields(text);
  starts.forEach((start, index) => {
    let groups: { team: string | null; tags: string[] } | undefined;
    kept.forEach(({ index: theme }, k) => {
      if (!lines[theme]!.has(index)) return;
      if (!groups) {
        readLine(text, start, line, fields);
        const { codesEnd, tagsEnd, end } = line;
        groups = {
          team: end > tagsEnd + 1 ? text.slice(tagsEnd + 1, end) : null,
          tags: tagsEnd > codesEnd + 1 ? text.slice(codesEnd + 1, tagsEnd).split(',') : [],
        };
      }
      const d = detail[k]!;
      add(d.teams, groups.team);
      for (const tag of groups.tags) add(d.tags, tag);
      // The newest few, kept in order as they come: a common theme has thousands.
      const example = { rid: line.rid, at: line.createdAt };
      const place = d.examples.findIndex((e) => newer(example, e));
      if (place >= 0) d.examples.splice(place, 0, example);
      else if (d.examples.length < EXAMPLES) d.examples.push(example);
      if (d.examples.length > EXAMPLES) d.examples.length = EXAMPLES;
    });
  });

  const top = (groups: NamedCount[]) => groups.slice(0, GROUPS);
  return kept.map(({ index, related }, k) => {
    const d = detail[k]!;
    return {
      ...scored[index]!,
      related,
      tags: top(ranked(d.tags, directory.tags, 'untagged')),
      teams: top(ranked(d.teams, directory.teams, 'no team')),
      exampleRids: d.examples.map((e) => e.rid),
    };
  });
}

const scaledIn = (n: number, w: WindowCounts) => scaled(n, w.read, w.total);

/** The whole answer: what to read, in order, and the themes from it. */
export function* themePlan(q: ThemesRequest): ReadPlan<ThemeRead, ConversationThemes> {
  const window = function* (
    from: number,
    to: number,
    among?: HashTable,
  ): ReadPlan<ThemeRead, { text: string; counts: WindowCounts }> {
    const total = (yield { read: 'count', from, to }) as number;
    const below = sampleBound(total, q.sample);
    const text = ((yield { read: 'window', from, to, below }) as string | null) ?? '';
    return { text, counts: countWindow(text, total, among) };
  };
  const period = yield* window(q.from, q.to);
  const ranking = candidates(period.counts, q.minCount);
  const baseline = (yield* window(q.baselineFrom, q.baselineTo, ranking)).counts;
  const hashes = shortlist(ranking, period.counts, baseline, q);
  const names = hashes.length ? ((yield { read: 'names', hashes }) as [number, string][]) : [];
  const directory = (yield { read: 'directory' }) as StatsNames;
  const themes = rankThemes(q, period.text, period.counts, baseline, new Map(names), directory);
  const rids = themes.flatMap((t) => t.exampleRids);
  const ids = new Map(rids.length ? ((yield { read: 'ids', rids }) as [number, string][]) : []);
  return {
    conversations: period.counts.total,
    baselineConversations: baseline.total,
    read: { period: period.counts.read, baseline: baseline.read },
    unindexed: period.counts.unindexed + baseline.unindexed,
    themes: themes.map(({ exampleRids, ...t }) => ({
      ...t,
      count: scaledIn(t.count, period.counts),
      baselineCount: scaledIn(t.baselineCount, baseline),
      expected: t.expected * (period.counts.total / Math.max(1, period.counts.read)),
      tags: t.tags.map((g) => ({ ...g, count: scaledIn(g.count, period.counts) })),
      teams: t.teams.map((g) => ({ ...g, count: scaledIn(g.count, period.counts) })),
      examples: exampleRids.map((rid) => ids.get(rid)!),
    })),
  };
}
