/**
 * Themes, the same for both engines, as a read plan (read-plan.ts). Each window (the period, then
 * its baseline) is read as a few text values of many lines, a line per conversation
 * (THEME_WINDOW_SQL): per-row values cost an allocation each, which at tens of thousands of rows
 * was most of the answer's time.
 * The period's term hashes are counted in a typed table (hash-table.ts), the baseline's only for
 * the terms common enough to rank, and only a shortlist of the best is named from the `terms`
 * table before the final ranking (insights/significance.ts), which needs the words to tell a phrase
 * from the words inside it. The themes then get their tags, teams and newest examples, read for
 * their conversations alone (THEME_MEMBERS_SQL): a window's lines carry only what ranking needs.
 *
 * A large window is read as a sample (sample.ts): significance is scored on what was read, and the
 * counts shown are scaled to the whole window. A theme worth the name is in hundreds of a large
 * window's conversations, and a sample of thousands finds it.
 */
import { logLikelihood, rankTerms } from '../insights/significance.js';
import { CODE_CHARS, decodeHash, termHash } from './customer-terms.js';
import { HashTable } from './hash-table.js';
import { LineFields } from './line-fields.js';
import type { ReadPlan } from './read-plan.js';
import { SAMPLE_RANGE, sampleBound, scaled } from './sample.js';
import { ranked, type StatsNames } from './stats-tally.js';
import type { ConversationThemes, NamedCount, Theme, ThemesRequest } from './types.js';

export type ThemeRead =
  | { read: 'count'; from: number; to: number }
  /**
   * THEME_WINDOW_SQL's texts over [from, to), sampled below `below`, in `parts` values or one, each
   * handed to `each` as it comes: a part counted as it arrives is garbage at once, where parts
   * gathered first were copied at each young collection while the rest arrived.
   */
  | { read: 'window'; from: number; to: number; below: number; parts: number; each: (text: string) => void }
  | { read: 'names'; hashes: number[] }
  /** THEME_MEMBERS_SQL's text for these conversations. */
  | { read: 'members'; rids: number[] }
  /** THEME_TICKETS_SQL's text: the newest `limit` tickets of [from, to) with customers' terms. */
  | { read: 'tickets'; from: number; to: number; limit: number }
  | { read: 'directory' };

const UNINDEXED = 42; // '*'

/** Where a line of a window's text has its parts: `rid created_at codes`. */
interface Line {
  rid: number;
  createdAt: number;
  /** Its codes (customer-terms.ts) are in [codes, end); `*` for one stored before terms were kept. */
  codes: number;
  end: number;
}

/** Each conversation of a part of a window's text (THEME_WINDOW_SQL), a line each; `line` is reused. */
function eachLine(text: string, visit: (line: Line) => void): void {
  const line: Line = { rid: 0, createdAt: 0, codes: 0, end: 0 };
  for (const fields = new LineFields(text); !fields.done; ) {
    line.rid = fields.number()!;
    line.createdAt = fields.number()!;
    line.codes = fields.at;
    line.end = text.indexOf('\n', line.codes);
    if (line.end < 0) line.end = text.length;
    visit(line);
    fields.at = line.end + 1;
  }
}

/**
 * Lines to a value of a window's text: a window read as one value of megabytes took longer to copy
 * into a string, and to collect, than to count (docs/performance.md); values of some 50 kB each
 * are made in memory already in use.
 */
const LINES_PER_PART = 150;

/** How many values to read a window of `total` in, sampled below `below`. */
export const windowParts = (total: number, below: number): number =>
  Math.max(1, Math.ceil((total * Math.min(below, SAMPLE_RANGE)) / SAMPLE_RANGE / LINES_PER_PART));

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

  /** Each line held, in order. */
  forEach(visit: (line: number) => void): void {
    for (let w = 0; w < this.bits.length; w++)
      for (let x = this.bits[w]!; x !== 0; x &= x - 1) visit((w << 5) | (31 - Math.clz32(x & -x)));
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

/**
 * A period's lines as counted, for ranking's second look at them: each line's rid and creation
 * time by its place, and each part's hashes with where each of its lines' hashes end. In typed
 * arrays, outside the collected heap, so the texts they came from die young: kept for the whole
 * answer, the texts were copied at every young collection, which cost more than counting them.
 */
interface PeriodLines {
  rids: Float64Array;
  createdAt: Float64Array;
  parts: { hashes: Float64Array; ends: Uint32Array }[];
}

/** Collects a window's lines as they are counted, into PeriodLines. */
class LineKeeper {
  private readonly rids: number[] = [];
  private readonly createdAt: number[] = [];
  private readonly parts: PeriodLines['parts'] = [];
  private hashes: Float64Array | undefined;
  private ends: number[] = [];
  private n = 0;

  /** A part of the window's text begins: its hashes are fewer than its characters over a code's. */
  part(text: string): void {
    this.close();
    this.hashes = new Float64Array(Math.ceil(text.length / CODE_CHARS));
    this.ends = [];
    this.n = 0;
  }

  line(rid: number, createdAt: number): void {
    this.rids.push(rid);
    this.createdAt.push(createdAt);
  }

  hash(hash: number): void {
    this.hashes![this.n++] = hash;
  }

  /** The current line's hashes are all added. */
  end(): void {
    this.ends.push(this.n);
  }

  lines(): PeriodLines {
    this.close();
    return {
      rids: Float64Array.from(this.rids),
      createdAt: Float64Array.from(this.createdAt),
      parts: this.parts,
    };
  }

  private close(): void {
    if (this.hashes)
      this.parts.push({ hashes: this.hashes.subarray(0, this.n), ends: Uint32Array.from(this.ends) });
    this.hashes = undefined;
  }
}

/** Counts a window's terms, a part at a time; with `among`, only those hashes; with `keep`, keeping its lines. */
class WindowCounter {
  private readonly counts: HashTable;
  private read = 0;
  private unindexed = 0;

  constructor(
    private readonly among?: HashTable,
    private readonly keep?: LineKeeper,
  ) {
    this.counts = new HashTable(among ? among.size : 4096);
    if (among) for (const [hash] of among.entries()) this.counts.set(hash, 0);
  }

  add(text: string): void {
    const { counts, keep } = this;
    const only = !!this.among;
    keep?.part(text);
    eachLine(text, ({ rid, createdAt, codes, end }) => {
      this.read++;
      keep?.line(rid, createdAt);
      if (text.charCodeAt(codes) === UNINDEXED) this.unindexed++;
      else
        for (let c = codes; c < end; c += CODE_CHARS) {
          const hash = decodeHash(text, c);
          counts.increment(hash, only);
          keep?.hash(hash);
        }
      keep?.end();
    });
  }

  /** What was counted, of `total` in the window. */
  window(total: number): WindowCounts {
    return { total, read: this.read, unindexed: this.unindexed, counts: this.counts };
  }
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
/**
 * The newest tickets of the period looked at for those showing each theme: themes are counted in
 * conversations, and a ticket only shows one, so a bounded read of the newest is enough.
 */
export const TICKETS_LOOKED_AT = 1000;
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

/** A ranked theme before its groups and examples are read: the period's lines using it. */
export type RankedTheme = Omit<Theme, 'examples' | 'tickets' | 'tags' | 'teams'> & { lines: Lines };

/** The ranked themes, each with the lines of the period's conversations using it. */
export function rankThemes(
  q: Pick<ThemesRequest, 'exclude' | 'minCount' | 'limit'>,
  period: WindowCounts,
  periodLines: PeriodLines,
  baseline: WindowCounts,
  names: Map<number, string>,
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

  // Which lines each ranked term is on (a bit each), for the themes to absorb their parts.
  const wanted = new HashTable(scored.length);
  scored.forEach((t, i) => wanted.set(hashOf.get(t.term)!, i));
  const lines = scored.map(() => new Lines(period.read));
  let index = 0;
  for (const { hashes, ends } of periodLines.parts)
    for (let j = 0, start = 0; j < ends.length; start = ends[j++]!, index++)
      for (let k = start; k < ends[j]!; k++) {
        const i = wanted.get(hashes[k]!);
        if (i !== undefined) lines[i]!.add(index);
      }

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
  return kept.map(({ index, related }) => ({ ...scored[index]!, related, lines: lines[index]! }));
}

/**
 * The most conversations of a sampled period whose groups are read, spread over its themes: their
 * tags and teams come from the wide conversation rows, a look-up each (a month's ranked themes
 * held 7,000 of a 10,000 sample, 35 ms on SQLite). A sample's counts are estimates already; these
 * are the same estimate of the groups.
 */
const MEMBERS_READ = 3000;

/** The lines of a theme whose groups are read (an even spread, when capped) and its newest few. */
interface Chosen {
  grouped: number[];
  examples: number[];
}

function choose(themes: RankedTheme[], period: PeriodLines, sampled: boolean): Chosen[] {
  const cap = sampled ? Math.ceil(MEMBERS_READ / Math.max(1, themes.length)) : Infinity;
  const newer = (x: number, y: number) =>
    period.createdAt[x]! > period.createdAt[y]! ||
    (period.createdAt[x] === period.createdAt[y] && period.rids[x]! > period.rids[y]!);
  return themes.map(({ lines }) => {
    const every = Math.max(1, Math.ceil(lines.size / cap));
    const grouped: number[] = [];
    // The newest few, kept in order as they come: a common theme has thousands.
    const examples: number[] = [];
    let i = 0;
    lines.forEach((line) => {
      if (i++ % every === 0) grouped.push(line);
      const place = examples.findIndex((e) => newer(line, e));
      if (place >= 0) examples.splice(place, 0, line);
      else if (examples.length < EXAMPLES) examples.push(line);
      if (examples.length > EXAMPLES) examples.length = EXAMPLES;
    });
    return { grouped, examples };
  });
}

/** The rids whose ids and groups are read: every chosen line's, once. */
function memberRids(chosen: Chosen[], period: PeriodLines): number[] {
  const all = new Lines(period.rids.length);
  for (const c of chosen) for (const line of [...c.grouped, ...c.examples]) all.add(line);
  const rids: number[] = [];
  all.forEach((line) => rids.push(period.rids[line]!));
  return rids;
}

/** A conversation's id and groups, as THEME_MEMBERS_SQL gives them: `rid id team tags` a line. */
interface Member {
  id: string;
  team: string | null;
  tags: string[];
}

const memberRows = (text: string): Map<number, Member> =>
  new Map(
    LineFields.rows(text, (f) => [
      f.number()!,
      { id: f.string(), team: f.string() || null, tags: ((t) => (t ? t.split(',') : []))(f.string()) },
    ]),
  );

/** Each theme's newest tickets (THEME_TICKETS_SQL's lines, `created_at id codes`) whose customers wrote it. */
export function themeTickets(themes: readonly { term: string }[], text: string): string[][] {
  const byHash = new Map(themes.map((t, i) => [termHash(t.term), i]));
  const found = themes.map(() => [] as { id: string; createdAt: number }[]);
  for (const f = new LineFields(text); !f.done; ) {
    const createdAt = f.number()!;
    const id = f.string();
    let end = text.indexOf('\n', f.at);
    if (end < 0) end = text.length;
    for (let at = f.at; at + CODE_CHARS <= end; at += CODE_CHARS) {
      const theme = byHash.get(decodeHash(text, at));
      const list = theme === undefined ? undefined : found[theme]!;
      if (list && list.at(-1)?.id !== id) list.push({ id, createdAt });
    }
    f.at = end + 1;
  }
  return found.map((list) =>
    list
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, EXAMPLES)
      .map((t) => t.id),
  );
}

/**
 * Each theme with the tags and teams of its conversations (of those chosen, scaled to all of its
 * conversations read) and its newest examples' ids.
 */
function describeThemes(
  themes: RankedTheme[],
  chosen: Chosen[],
  period: PeriodLines,
  members: Map<number, Member>,
  directory: Pick<StatsNames, 'tags' | 'teams'>,
  tickets: string[][],
): Theme[] {
  const top = (groups: NamedCount[]) => groups.slice(0, GROUPS);
  return themes.map(({ lines, ...t }, i) => {
    const { grouped, examples } = chosen[i]!;
    const share = lines.size / Math.max(1, grouped.length);
    const add = (m: Map<string | null, number>, key: string | null) => m.set(key, (m.get(key) ?? 0) + share);
    const tags = new Map<string | null, number>();
    const teams = new Map<string | null, number>();
    for (const line of grouped) {
      const m = members.get(period.rids[line]!)!;
      add(teams, m.team);
      for (const tag of m.tags) add(tags, tag);
    }
    return {
      ...t,
      tags: top(ranked(tags, directory.tags, 'untagged')),
      teams: top(ranked(teams, directory.teams, 'no team')),
      examples: examples.map((line) => members.get(period.rids[line]!)!.id),
      tickets: tickets[i] ?? [],
    };
  });
}

const scaledIn = (n: number, w: WindowCounts) => scaled(n, w.read, w.total);

/** The whole answer: what to read, in order, and the themes from it. */
export function* themePlan(q: ThemesRequest): ReadPlan<ThemeRead, ConversationThemes> {
  const window = function* (
    from: number,
    to: number,
    counter: WindowCounter,
  ): ReadPlan<ThemeRead, WindowCounts> {
    const total = (yield { read: 'count', from, to }) as number;
    const below = sampleBound(total, q.sample);
    const parts = windowParts(total, below);
    yield { read: 'window', from, to, below, parts, each: (text) => counter.add(text) };
    return counter.window(total);
  };
  const keep = new LineKeeper();
  const period = {
    counts: yield* window(q.from, q.to, new WindowCounter(undefined, keep)),
    lines: keep.lines(),
  };
  const ranking = candidates(period.counts, q.minCount);
  const baseline = yield* window(q.baselineFrom, q.baselineTo, new WindowCounter(ranking));
  const hashes = shortlist(ranking, period.counts, baseline, q);
  const names = hashes.length ? ((yield { read: 'names', hashes }) as [number, string][]) : [];
  const ranked = rankThemes(q, period.counts, period.lines, baseline, new Map(names));
  const chosen = choose(ranked, period.lines, period.counts.read < period.counts.total);
  const rids = memberRids(chosen, period.lines);
  const members = memberRows(rids.length ? (((yield { read: 'members', rids }) as string | null) ?? '') : '');
  const directory = (yield { read: 'directory' }) as StatsNames;
  // Tickets have no tags, state or text search of their own: narrowed by those, none is named.
  const { text, state, tagId, customer } = q.filters;
  const ticketsShown = ranked.length > 0 && [text, state, tagId, customer].every((f) => f === undefined);
  const tickets = ticketsShown
    ? themeTickets(
        ranked,
        ((yield { read: 'tickets', from: q.from, to: q.to, limit: TICKETS_LOOKED_AT }) as string | null) ??
          '',
      )
    : [];
  const themes = describeThemes(ranked, chosen, period.lines, members, directory, tickets);
  return {
    conversations: period.counts.total,
    ticketsShown,
    baselineConversations: baseline.total,
    read: { period: period.counts.read, baseline: baseline.read },
    unindexed: period.counts.unindexed + baseline.unindexed,
    themes: themes.map((t) => ({
      ...t,
      count: scaledIn(t.count, period.counts),
      baselineCount: scaledIn(t.baselineCount, baseline),
      expected: t.expected * (period.counts.total / Math.max(1, period.counts.read)),
      tags: t.tags.map((g) => ({ ...g, count: scaledIn(g.count, period.counts) })),
      teams: t.teams.map((g) => ({ ...g, count: scaledIn(g.count, period.counts) })),
    })),
  };
}
