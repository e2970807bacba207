/**
 * Reads every conversation updated at or after a mark, in ascending `updated_at`, without trusting
 * Intercom's cursors across pages. Search paging is stateless: a conversation updated between two
 * pages moves, and a cursor can then skip a record. So each page is a fresh query from the highest
 * `updated_at` seen so far (`> mark OR = mark`, as every known sync sends it), de-duplicated by the
 * ids already seen at that second. Only when one second holds more than a page of conversations
 * (bulk closes, imports) does it page with cursors inside that second, re-reading the second until
 * the ids seen there account for its whole `total_count`: a checkpoint never splits a second.
 */
import { MAX_PER_PAGE, type IntercomApi, type SearchQuery } from '../intercom/client.js';
import type { ApiConversation } from '../intercom/schemas.js';
import { crowdedSecond } from './crowded-second.js';

export interface PagerPosition {
  mark: number;
  idsAtMark: string[];
}

export interface PagerPage {
  conversations: ApiConversation[];
  /** Where a resumed read may start once this page's conversations are stored. */
  position: PagerPosition;
  /** Conversations at or after the mark when this page was read: the remaining work. */
  remaining: number;
}

const atOrAfter = (mark: number, before: number | undefined): SearchQuery => {
  const since: SearchQuery = {
    operator: 'OR',
    value: [
      { field: 'updated_at', operator: '>', value: mark },
      { field: 'updated_at', operator: '=', value: mark },
    ],
  };
  return before === undefined
    ? since
    : { operator: 'AND', value: [since, { field: 'updated_at', operator: '<', value: before }] };
};

const ASCENDING = { field: 'updated_at', order: 'ascending' } as const;

/** How many conversations were updated at or after `from`: one search call of one result. */
export async function countUpdatedSince(
  api: IntercomApi,
  from: number,
  signal?: AbortSignal,
): Promise<number> {
  const page = await api.searchConversations({
    query: atOrAfter(from, undefined),
    perPage: 1,
    ...(signal ? { signal } : {}),
  });
  return page.total_count ?? page.conversations.length;
}

export async function* pageUpdatedSince(
  api: IntercomApi,
  start: PagerPosition,
  opts: { perPage?: number; signal?: AbortSignal; before?: number } = {},
): AsyncGenerator<PagerPage> {
  const perPage = opts.perPage ?? MAX_PER_PAGE;
  let mark = start.mark;
  let seenAtMark = new Set(start.idsAtMark);
  for (;;) {
    opts.signal?.throwIfAborted();
    const page = await api.searchConversations({
      query: atOrAfter(mark, opts.before),
      perPage,
      sort: ASCENDING,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const items = page.conversations;
    const fresh = items.filter((c) => !(c.updated_at === mark && seenAtMark.has(c.id)));
    const last = items.at(-1);
    const full = items.length >= perPage && page.pages?.next?.starting_after;
    if (!last || !full) {
      const newMark = last ? last.updated_at : mark;
      const ids = newMark === mark ? [...seenAtMark] : [];
      for (const c of items) if (c.updated_at === newMark) ids.push(c.id);
      yield {
        conversations: fresh,
        position: { mark: newMark, idsAtMark: [...new Set(ids)] },
        remaining: page.total_count ?? items.length,
      };
      return;
    }
    if (last.updated_at > mark) {
      mark = last.updated_at;
      seenAtMark = new Set(items.filter((c) => c.updated_at === mark).map((c) => c.id));
      yield {
        conversations: fresh,
        position: { mark, idsAtMark: [...seenAtMark] },
        remaining: page.total_count ?? items.length,
      };
      continue;
    }
    // A whole page within one second: page through that second alone.
    for (const c of fresh) seenAtMark.add(c.id);
    yield {
      conversations: fresh,
      position: { mark, idsAtMark: [...seenAtMark] },
      remaining: page.total_count ?? items.length,
    };
    yield* pageOneSecond(api, mark, seenAtMark, perPage, opts.signal);
    mark += 1;
    seenAtMark = new Set();
  }
}

async function* pageOneSecond(
  api: IntercomApi,
  second: number,
  seen: Set<string>,
  perPage: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<PagerPage> {
  const query: SearchQuery = { field: 'updated_at', operator: '=', value: second };
  const pages = crowdedSecond(async (cursor) => {
    const page = await api.searchConversations({
      query,
      perPage,
      sort: ASCENDING,
      ...(cursor ? { startingAfter: cursor } : {}),
      ...(signal ? { signal } : {}),
    });
    return {
      items: page.conversations,
      total: page.total_count ?? undefined,
      next: page.pages?.next?.starting_after ?? undefined,
    };
  }, signal);
  for await (const { items, total } of pages) {
    const fresh = items.filter((c) => !seen.has(c.id));
    for (const c of items) seen.add(c.id);
    if (fresh.length > 0)
      yield { conversations: fresh, position: { mark: second, idsAtMark: [...seen] }, remaining: total };
  }
}
