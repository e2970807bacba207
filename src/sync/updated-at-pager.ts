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

/** How often to re-read a crowded second whose members moved while it was being paged. */
const MAX_SECOND_PASSES = 5;

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
  for (let pass = 0; pass < MAX_SECOND_PASSES; pass++) {
    let cursor: string | undefined;
    let total = 0;
    const presentNow = new Set<string>();
    do {
      signal?.throwIfAborted();
      const page = await api.searchConversations({
        query,
        perPage,
        sort: ASCENDING,
        ...(cursor ? { startingAfter: cursor } : {}),
        ...(signal ? { signal } : {}),
      });
      total = page.total_count ?? total;
      const fresh = page.conversations.filter((c) => !seen.has(c.id));
      for (const c of page.conversations) {
        seen.add(c.id);
        presentNow.add(c.id);
      }
      if (fresh.length > 0) {
        yield { conversations: fresh, position: { mark: second, idsAtMark: [...seen] }, remaining: total };
      }
      cursor = page.pages?.next?.starting_after ?? undefined;
    } while (cursor);
    // Members that moved out of the second were updated and will be read at their new time; the
    // second is complete once what we read of it accounts for what it still holds.
    if (presentNow.size >= total) return;
  }
}
