/**
 * Themes from the rows the engines read, the same for both: the terms of the period's
 * conversations are counted from their packed hashes (customer-terms.ts), the baseline's only for
 * the terms common enough to rank, and only a shortlist of the best is named from the `terms`
 * table before the final ranking (insights/significance.ts), which needs the words to tell a
 * phrase from the words inside it. The themes then get their tags, teams and newest examples.
 */
import { logLikelihood, rankTerms } from '../insights/significance.js';
import { unpackTerms } from './customer-terms.js';
import { byRid, ranked, type StatsNames } from './stats-tally.js';
import type { ConversationThemes, NamedCount, Theme, ThemesRequest } from './types.js';

/** rid, id, created_at, team_assignee_id, customer_terms (null: stored before terms were kept). */
export type ThemeRow = [number, string, number, string | null, Uint8Array | null];

export interface HashCounts {
  conversations: number;
  /** Conversations stored before their terms were kept: counted, but their words are not. */
  unindexed: number;
  counts: Map<number, number>;
}

/** Conversations using each hash; with `among`, only those hashes are counted. */
export function countHashes(rows: readonly ThemeRow[], among?: ReadonlyMap<number, unknown>): HashCounts {
  const counts = new Map<number, number>();
  let unindexed = 0;
  for (const row of rows) {
    const packed = row[4];
    if (packed === null) {
      unindexed++;
      continue;
    }
    for (const hash of unpackTerms(packed))
      if (!among || among.has(hash)) counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return { conversations: rows.length, unindexed, counts };
}

/** The period's hashes in enough conversations to rank. */
export function candidates(period: HashCounts, minCount: number): Map<number, number> {
  return new Map([...period.counts].filter(([, n]) => n >= minCount));
}

/**
 * The hashes worth naming, among the candidates (`ranking`): those that rose, by the same score and order the final ranking uses,
 * with room for the phrases and excluded words the ranking will drop.
 */
export function shortlist(
  ranking: ReadonlyMap<number, number>,
  period: HashCounts,
  baseline: HashCounts,
  q: ThemesRequest,
): number[] {
  const n1 = period.conversations;
  const n2 = baseline.conversations;
  const scored: { hash: number; a: number; score: number }[] = [];
  for (const [hash, a] of ranking) {
    const b = baseline.counts.get(hash) ?? 0;
    if (n2 > 0 && a <= (b * n1) / n2) continue;
    scored.push({ hash, a, score: n2 > 0 ? logLikelihood(a, b, n1 - a, n2 - b) : 0 });
  }
  scored.sort((x, y) => y.score - x.score || y.a - x.a);
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

/** The ranked themes, each with the tags and teams of its conversations and its newest examples. */
export function themesOf(
  q: ThemesRequest,
  rows: readonly ThemeRow[],
  period: HashCounts,
  baseline: HashCounts,
  names: Map<number, string>,
  tagRows: readonly [number, string][],
  directory: Pick<StatsNames, 'tags' | 'teams'>,
): ConversationThemes {
  const excluded = new Set(q.exclude.map((w) => w.toLowerCase()));
  const hashOf = new Map<string, number>();
  const counted = (from: HashCounts) => {
    const terms = new Map<string, number>();
    for (const [hash, term] of names) {
      if (term.split(' ').some((w) => excluded.has(w))) continue;
      hashOf.set(term, hash);
      const n = from.counts.get(hash);
      if (n) terms.set(term, n);
    }
    return { conversations: from.conversations, terms };
  };
  // More than asked for: some will join a theme above them as related terms.
  const scored = rankTerms(counted(period), counted(baseline), {
    minCount: q.minCount,
    limit: q.limit * 4,
  });

  const wanted = new Map(scored.map((t, i) => [hashOf.get(t.term)!, i]));
  const tagsOf = byRid(tagRows);
  const detail = scored.map(() => ({
    rids: new Set<number>(),
    tags: new Map<string | null, number>(),
    teams: new Map<string | null, number>(),
    examples: [] as { id: string; at: number }[],
  }));
  const add = (m: Map<string | null, number>, key: string | null) => m.set(key, (m.get(key) ?? 0) + 1);
  const newestFirst = (x: { id: string; at: number }, y: { id: string; at: number }) =>
    y.at - x.at || (x.id < y.id ? 1 : -1);
  for (const [rid, id, createdAt, team, packed] of rows) {
    if (packed === null) continue;
    for (const hash of unpackTerms(packed)) {
      const i = wanted.get(hash);
      if (i === undefined) continue;
      const d = detail[i]!;
      d.rids.add(rid);
      add(d.teams, team);
      for (const [, tag] of tagsOf.get(rid) ?? []) add(d.tags, tag);
      d.examples.push({ id, at: createdAt });
      if (d.examples.length > EXAMPLES) {
        d.examples.sort(newestFirst);
        d.examples.length = EXAMPLES;
      }
    }
  }

  const kept: { index: number; related: string[] }[] = [];
  scored.forEach((t, i) => {
    const rids = detail[i]!.rids;
    const home = kept.find(({ index }) => {
      if (growthOf(t) > FASTER * growthOf(scored[index]!)) return false;
      const theirs = detail[index]!.rids;
      let shared = 0;
      for (const rid of rids) if (theirs.has(rid)) shared++;
      return shared >= INSIDE_SHARE * rids.size;
    });
    if (home) {
      if (home.related.length < RELATED) home.related.push(t.term);
    } else if (kept.length < q.limit) kept.push({ index: i, related: [] });
  });

  const top = (groups: NamedCount[]) => groups.slice(0, GROUPS);
  const themes: Theme[] = kept.map(({ index, related }) => {
    const d = detail[index]!;
    return {
      ...scored[index]!,
      related,
      tags: top(ranked(d.tags, directory.tags, 'untagged')),
      teams: top(ranked(d.teams, directory.teams, 'no team')),
      examples: d.examples.sort(newestFirst).map((e) => e.id),
    };
  });
  return {
    conversations: period.conversations,
    baselineConversations: baseline.conversations,
    unindexed: period.unindexed + baseline.unindexed,
    themes,
  };
}
