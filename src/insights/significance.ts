/**
 * Which terms a period's conversations use notably more than a baseline's: Dunning's
 * log-likelihood ratio (G²) over each term's 2×2 table of conversations (with the term or without
 * it, in the period or in the baseline), as search engines' "significant terms" score a foreground
 * against a background. G² stays sound for the small counts of a support week, where chi-squared
 * overstates rare terms, and it grows with evidence: a term in 40 conversations out of nowhere
 * outranks one in 4. Counts are of conversations (documents), not occurrences, so one long thread
 * repeating a word does not make a theme.
 */

export interface TermCounts {
  /** Conversations in the set. */
  conversations: number;
  /** Conversations using each term, at least once. */
  terms: Map<string, number>;
}

export interface ScoredTerm {
  term: string;
  /** Conversations in the period using it. */
  count: number;
  /** Conversations in the baseline using it. */
  baselineCount: number;
  /** The baseline's count scaled to the period's number of conversations: what "usual" would be. */
  expected: number;
  /** The period's share of conversations using it over the baseline's; null when the baseline has none. */
  growth: number | null;
  /** G²: how unlikely the period's count is if the term were as common as in the baseline. */
  score: number;
}

export interface RankOptions {
  /** The fewest conversations a term must be in, in the period, to rank. */
  minCount: number;
  /** The most terms returned. */
  limit: number;
}

const xlogx = (x: number) => (x > 0 ? x * Math.log(x) : 0);

/**
 * G² for a 2×2 table [[a, b], [c, d]]: rows are with / without the term, columns the period and
 * the baseline. Written with the x·ln x identity, which is exact and has no 0·ln 0 special case.
 */
export function logLikelihood(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  if (n === 0) return 0;
  const g =
    2 *
    (xlogx(a) +
      xlogx(b) +
      xlogx(c) +
      xlogx(d) -
      xlogx(a + b) -
      xlogx(c + d) -
      xlogx(a + c) -
      xlogx(b + d) +
      xlogx(n));
  // Rounding can leave a tiny negative where the table is independent.
  return Math.max(0, g);
}

/**
 * The period's terms more common than in the baseline, most significant first. With an empty
 * baseline nothing is "more than usual", so terms rank by how many conversations use them, each
 * marked new (growth null); the caller says that the baseline was empty.
 */
export function rankTerms(period: TermCounts, baseline: TermCounts, opts: RankOptions): ScoredTerm[] {
  const n1 = period.conversations;
  const n2 = baseline.conversations;
  const scored: ScoredTerm[] = [];
  for (const [term, a] of period.terms) {
    if (a < opts.minCount || n1 === 0) continue;
    const b = baseline.terms.get(term) ?? 0;
    const expected = n2 > 0 ? (b * n1) / n2 : 0;
    // Only what rose: a term rarer than usual is no theme of this period.
    if (n2 > 0 && a <= expected) continue;
    scored.push({
      term,
      count: a,
      baselineCount: b,
      expected,
      growth: b > 0 ? a / n1 / (b / n2) : null,
      score: n2 > 0 ? logLikelihood(a, b, n1 - a, n2 - b) : 0,
    });
  }
  scored.sort((x, y) => y.score - x.score || y.count - x.count || (x.term < y.term ? -1 : 1));
  return dropSubsumed(scored).slice(0, opts.limit);
}

/**
 * A word mostly seen inside a ranked phrase says nothing the phrase does not ("reset" beside
 * "password reset" in nearly the same conversations): it gives its place to the next theme.
 */
function dropSubsumed(ranked: ScoredTerm[]): ScoredTerm[] {
  const phrases = ranked.filter((t) => t.term.includes(' '));
  return ranked.filter(
    (t) =>
      t.term.includes(' ') ||
      !phrases.some((p) => p.term.split(' ').includes(t.term) && p.count >= SUBSUMED_SHARE * t.count),
  );
}

/** The share of a word's conversations a phrase holding it must have to stand in for it. */
const SUBSUMED_SHARE = 0.8;
