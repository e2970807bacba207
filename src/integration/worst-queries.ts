/**
 * The most expensive arguments the tools accept: the workspace's most frequent words at the term
 * cap, OR'd, AND'd and as a phrase, prefixes with filters, and the widest timeframe. The
 * benchmark times them at scale; the deadline test checks that each answer keeps its bounds and
 * says where it stopped.
 */
import { MAX_QUERY_TERMS } from '../store/search-text.js';
import { RANK_WINDOW, type Store } from '../store/types.js';

export interface WorstQuery {
  label: string;
  tool: 'search_conversations' | 'conversation_stats';
  args: Record<string, unknown>;
}

/** The words most often found in recent subjects: the most expensive terms to search for. */
export async function frequentWords(store: Store): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const h of (await store.searchConversations({ sort: 'newest', limit: RANK_WINDOW, offset: 0 })).hits)
    for (const w of h.subject.toLowerCase().match(/[a-z]{4,}/g) ?? [])
      counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

export function worstQueries(frequent: string[]): WorstQuery[] {
  const words = frequent.slice(0, MAX_QUERY_TERMS);
  const search = (label: string, args: Record<string, unknown>): WorstQuery => ({
    label,
    tool: 'search_conversations',
    args: { limit: 200, ...args },
  });
  return [
    search(`${words.length} frequent words OR'd`, { query: words.join(' OR ') }),
    search(`${words.length} frequent words OR'd, newest first, widest timeframe`, {
      query: words.join(' OR '),
      sort: 'newest',
      timeframe: 'since 2000-01-01',
    }),
    search(`${words.length} frequent words AND'd`, { query: words.join(' ') }),
    search(`a ${words.length}-word phrase`, { query: `"${words.join(' ')}"` }),
    search('OR of frequent prefixes with state and customer filters', {
      query: words.map((w) => `${w.slice(0, 3)}*`).join(' OR '),
      state: 'closed',
      customer: 'com',
    }),
    {
      label: 'stats over every conversation by day-capped buckets',
      tool: 'conversation_stats',
      args: { timeframe: 'last 365 days', bucket: 'day' },
    },
  ];
}
