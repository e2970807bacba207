/**
 * How good the ranking is, beside how fast: a set of queries with the conversations a person would
 * expect first. Each query is two words of one stored conversation's subject (the two least
 * common in the workspace's recent subjects, so the set runs from rare to common terms); the
 * conversations a person expects first are those whose subject holds both words. Precision at 10
 * is the share of a query's first ten hits that are such conversations; the set's figure is the
 * mean over its queries. The set is drawn from the copy itself, evenly over its conversations,
 * so every engine and size is judged on its own data by the same rule.
 */
import { RANK_WINDOW, type Store } from '../src/store/types.js';

export interface RelevanceBench {
  queries: number;
  /** Mean over the set of the share of the first 10 hits a person would expect first. */
  precisionAt10: number;
  set: { query: string; expected: string; precision: number }[];
}

const words = (subject: string) => [...new Set(subject.toLowerCase().match(/\p{L}{4,}/gu) ?? [])];

export async function measureRelevance(store: Store, size = 40): Promise<RelevanceBench> {
  const recent = (await store.searchConversations({ sort: 'newest', limit: RANK_WINDOW, offset: 0 })).hits;
  const frequency = new Map<string, number>();
  for (const h of recent) for (const w of words(h.subject)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const set: RelevanceBench['set'] = [];
  const step = Math.max(1, Math.floor(recent.length / size));
  for (let i = 0; i < recent.length && set.length < size; i += step) {
    const source = recent[i]!;
    const pair = words(source.subject)
      .sort((a, b) => (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0) || a.localeCompare(b))
      .slice(0, 2);
    if (pair.length < 2) continue;
    const query = pair.join(' ');
    const page = await store.searchConversations({ text: query, sort: 'relevance', limit: 10, offset: 0 });
    const expected = (subject: string) => pair.every((w) => words(subject).includes(w));
    const hits = page.hits.length;
    set.push({
      query,
      expected: source.id,
      precision: hits === 0 ? 0 : page.hits.filter((h) => expected(h.subject)).length / hits,
    });
  }
  return {
    queries: set.length,
    precisionAt10: set.reduce((s, q) => s + q.precision, 0) / Math.max(1, set.length),
    set,
  };
}
