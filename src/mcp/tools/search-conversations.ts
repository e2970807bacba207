/** search_conversations: the original tool's full-text search, with filters, timeframes and paging. */
import { count, quote } from '../../wording.js';
import { z } from 'zod';
import { countThatFit, type Budget } from '../budget.js';
import { answering } from '../deps.js';
import { FENCE_NOTE } from '../fence.js';
import { decodeCursor, encodeCursor, resolveFilters } from '../filters.js';
import { hitOut, hitShape, renderHit } from '../render-hits.js';
import { cursorArg, filterArgs, freshnessShape, queryArg, timeframeArg, windowShape } from '../shapes.js';
import { describeTimeframe } from '../../time/timeframe.js';
import type { McpDeps } from '../deps.js';
import { MAX_PREFIXES, parseSearchText } from '../../store/search-text.js';
import { CUSTOMER_CONTACTS_BOUND, RANK_WINDOW, type SearchFilters } from '../../store/types.js';
import { defineTool, READ_ONLY } from './tool.js';

/**
 * What to try when a text search found nothing: which of its words no conversation has (with the
 * same filters and window), and a query without them, or with OR when each matches alone.
 */
async function broaderQuery(
  deps: McpDeps,
  filters: SearchFilters & { text: string },
  window: { from: number; to: number } | undefined,
): Promise<string> {
  const words = [...new Set(parseSearchText(filters.text).words)];
  const totals = await Promise.all(
    words.map(
      async (w) =>
        (
          await deps.store.searchConversations({
            ...filters,
            text: w,
            ...(window ? { from: window.from, to: window.to } : {}),
            sort: 'newest',
            limit: 1,
            offset: 0,
            // Whether any conversation has the word: 16 common words counted to the bound each cost
            // 350 ms on PostgreSQL at 100k (docs/performance.md).
            countTo: 1,
          })
        ).total,
    ),
  );
  const missing = words.filter((_, i) => totals[i] === 0);
  const found = words.filter((_, i) => totals[i]! > 0);
  const where = window ? ' in this timeframe' : '';
  if (found.length === 0)
    return `No conversation${where} has ${missing.map((w) => `"${w}"`).join(' or ')}: try other words${window ? ', a longer timeframe' : ''} or fewer filters.`;
  if (missing.length > 0)
    return `No conversation${where} has ${missing.map((w) => `"${w}"`).join(' or ')}; without ${missing.length === 1 ? 'it' : 'them'}, try the query "${found.join(' ')}".`;
  return `Each word is found${where}, but not all in one conversation: try "${found.join(' OR ')}", or fewer words.`;
}

/** What the answer says when a query's prefixes past MAX_PREFIXES were searched as whole words. */
function asWords(text: string | undefined): string {
  const words = text ? parseSearchText(text).asWords : [];
  return words.length > 0
    ? `Searched ${words.join(', ')} as whole words: a query keeps its first ${MAX_PREFIXES} prefixes.`
    : '';
}

/** The default size of one page of results as text. */
export const SEARCH_BUDGET: Budget = { unit: 'tokens', max: 6000 };
/** More hits than fit the budget are never built: a hit renders to about 80-120 tokens. */
const MAX_HITS_PER_PAGE = 60;

export const searchConversations = defineTool({
  name: 'search_conversations',
  title: 'Search conversations',
  description:
    'Full-text search over every synced conversation (subject, messages, customer name and email), ranked, ' +
    'with highlighted snippets. Timeframes are in the workspace time zone: calendar periods ("yesterday", "last week" = the ' +
    'previous Monday-Sunday, "Q3 2026", "2026-11-01 to 2026-11-15") or rolling ("last 7 days"); ' +
    'a conversation matches when active in the window. Filters: state, assignee, team, tag, customer (list_workspace names them). ' +
    `A page is at most ${SEARCH_BUDGET.max} tokens; next_cursor continues. ${FENCE_NOTE}`,
  input: {
    query: queryArg
      .optional()
      .describe(
        'Words or "quoted phrases", all required; OR between alternatives, NOT to exclude. Omit to list by time.',
      ),
    timeframe: timeframeArg
      .optional()
      .describe('When the conversations were active, e.g. "last week", "since 2026-06-01"'),
    ...filterArgs,
    sort: z
      .enum(['relevance', 'newest', 'oldest'])
      .optional()
      .describe('Default: relevance with a query, else newest'),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: cursorArg,
  },
  output: {
    conversations: z.array(hitShape),
    total: z.number(),
    more: z
      .boolean()
      .describe('More than total match: the count stopped there (conversation_stats counts all)'),
    ranked: z.number().optional().describe('Ranked only this many, the most recently updated'),
    customer_window: z
      .number()
      .optional()
      .describe(
        'The customer text matched so many contacts that only this many of their conversations, the newest, were searched',
      ),
    cut: z.boolean().describe('Shortened to fit the budget'),
    next_cursor: z.string().optional(),
    timeframe: windowShape.optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    // The copy's status is read beside the settings, not after the search: on PostgreSQL each
    // read is a round trip, and nothing between them changes the copy.
    const [a, status] = await Promise.all([answering(deps), deps.store.status()]);
    const window = args.timeframe !== undefined ? a.timeframe(args.timeframe) : undefined;
    const filters = await resolveFilters(args, deps);
    const sort = args.sort ?? (filters.text ? 'relevance' : 'newest');
    const search = { filters, window: window && [window.from, window.to], sort };
    const offset = args.cursor ? decodeCursor(args.cursor, search) : 0;
    const asked = Math.min(args.limit, MAX_HITS_PER_PAGE);
    const page = await deps.store.searchConversations({
      ...filters,
      ...(window ? { from: window.from, to: window.to } : {}),
      sort,
      limit: asked,
      offset,
    });
    const fresh = await a.freshness(window, status);
    const hits = page.hits.map((h) => hitOut(h, a));
    const rendered = hits.map(renderHit);
    const echo = window ? describeTimeframe(window) : null;
    const head = [
      `${page.more ? `More than ${count(page.total, 'conversation')}` : count(page.total, 'conversation')} match${echo ? ` (active ${echo.from} → ${echo.to}, ${echo.zone})` : ''}. ${fresh.note}`,
      asWords(filters.text),
      page.customerWindow !== undefined
        ? `The customer text ${quote(filters.customer ?? '')} matches more than ${CUSTOMER_CONTACTS_BOUND.toLocaleString('en-US')} contacts: searched their ${page.customerWindow.toLocaleString('en-US')} most recently updated conversations; a fuller name or email searches all of one customer's.`
        : '',
      page.ranked !== undefined
        ? `Ranked by relevance among the ${page.ranked.toLocaleString('en-US')} most recently updated matches; a narrower timeframe or filter reaches the rest, and conversation_stats counts every match.`
        : page.more
          ? `Counted to ${page.total.toLocaleString('en-US')}, and pages end at the ${RANK_WINDOW.toLocaleString('en-US')}th; conversation_stats counts every match, and a narrower timeframe or filter reaches the rest.`
          : '',
    ]
      .filter(Boolean)
      .join('\n');
    const shown = countThatFit(head + '\n\nMore: cursor "' + 'x'.repeat(60) + '"', rendered, SEARCH_BUDGET);
    // Past a bounded count, the page itself says whether matches remain: a short one is the last.
    const reachable = page.ranked ?? (page.more ? RANK_WINDOW : page.total);
    const last = page.more && page.ranked === undefined && page.hits.length < asked;
    const next = !last && offset + shown < reachable ? encodeCursor(offset + shown, search) : null;
    const cut = next !== null && shown < args.limit;
    const range =
      shown > 0
        ? `Showing ${offset + 1}–${offset + shown}${cut ? ' (shortened to fit the answer budget)' : ''}.`
        : `No conversations found.${filters.text && page.total === 0 ? ` ${await broaderQuery(deps, { ...filters, text: filters.text }, window)}` : ''}`;
    const text = [
      head,
      range,
      ...rendered.slice(0, shown).map((r) => `\n${r}`),
      next ? `\nMore: cursor "${next}"` : '',
    ]
      .filter(Boolean)
      .join('\n');
    return {
      text,
      structured: {
        conversations: hits.slice(0, shown),
        total: page.total,
        more: page.more ?? false,
        ranked: page.ranked ?? null,
        customer_window: page.customerWindow ?? null,
        cut,
        next_cursor: next,
        timeframe: echo,
        freshness: fresh,
      },
      empty: page.total === 0,
    };
  },
});
