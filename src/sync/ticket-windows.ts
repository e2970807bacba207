/**
 * Every ticket updated in a stretch of time, newest first, without trusting the order or the
 * cursors of ticket search: its order is undocumented, and its paging is stateless (a ticket
 * updated between two pages moves, and a cursor can skip another). So the stretch is read as
 * windows of `updated_at`, each asked for whole: a window holding more than a page is split into
 * narrower ones, newest first, until each fits one page, whose `total_count` then proves it whole.
 * Only one second holding more than a page (a bulk change) is paged with cursors, and read again
 * until the ids read of it account for all it holds. A ticket updated while this runs leaves its
 * window for one after `to`, which the next run reads.
 */
import { MAX_PER_PAGE, type IntercomApi, type SearchQuery } from '../intercom/client.js';
import type { ApiTicket } from '../intercom/schemas.js';
import { crowdedSecond } from './crowded-second.js';

/** A window listed whole: every ticket updated in [from, to). */
export interface TicketWindow {
  from: number;
  to: number;
  tickets: ApiTicket[];
}

/** How full a window may be expected to come back when one is split by its count. */
const SPLIT_FILL = 0.75;
/** Windows listed at once, the one being read included. */
const LISTED_AHEAD = 4;

const between = (from: number, to: number): SearchQuery => ({
  operator: 'AND',
  value: [
    {
      operator: 'OR',
      value: [
        { field: 'updated_at', operator: '>', value: from },
        { field: 'updated_at', operator: '=', value: from },
      ],
    },
    { field: 'updated_at', operator: '<', value: to },
  ],
});

/** [from, to) in `parts` windows of equal length (whole seconds), the newest last. */
export function splitWindow(from: number, to: number, parts: number): [number, number][] {
  const n = Math.max(1, Math.min(parts, to - from));
  const bounds = Array.from({ length: n + 1 }, (_, i) => from + Math.round(((to - from) * i) / n));
  return bounds.slice(1).map((b, i) => [bounds[i]!, b]);
}

export async function* ticketWindows(
  api: IntercomApi,
  from: number,
  to: number,
  signal?: AbortSignal,
): AsyncGenerator<TicketWindow> {
  type Pending = { from: number; to: number; page?: Promise<TicketPage> };
  // The newest window last. The next few are listed ahead, so the listing is not one call at a
  // time; a ticket changed after its window was listed is newer than the run, as it would be anyway.
  const pending: Pending[] = from < to ? [{ from, to }] : [];
  while (pending.length > 0) {
    for (const p of pending.slice(-LISTED_AHEAD)) p.page ??= listWindow(api, p.from, p.to, signal);
    const { from: a, to: b, page: listed } = pending.pop()!;
    signal?.throwIfAborted();
    const page = await listed!;
    const total = page.total_count ?? page.tickets.length;
    if (total <= page.tickets.length) yield { from: a, to: b, tickets: page.tickets };
    else if (b - a > 1)
      pending.push(
        ...splitWindow(a, b, Math.ceil(total / (MAX_PER_PAGE * SPLIT_FILL))).map(([x, y]) => ({
          from: x,
          to: y,
        })),
      );
    else yield { from: a, to: b, tickets: await wholeSecond(api, a, signal) };
  }
}

type TicketPage = Awaited<ReturnType<IntercomApi['searchTickets']>>;

function listWindow(api: IntercomApi, from: number, to: number, signal?: AbortSignal): Promise<TicketPage> {
  const page = api.searchTickets({
    query: between(from, to),
    perPage: MAX_PER_PAGE,
    ...(signal ? { signal } : {}),
  });
  // Awaited when its window's turn comes; if the reader stops first, its failure is moot.
  page.catch(() => undefined);
  return page;
}

async function wholeSecond(api: IntercomApi, second: number, signal?: AbortSignal): Promise<ApiTicket[]> {
  const query: SearchQuery = { field: 'updated_at', operator: '=', value: second };
  const read = new Map<string, ApiTicket>();
  const pages = crowdedSecond(async (cursor) => {
    const page = await api.searchTickets({
      query,
      perPage: MAX_PER_PAGE,
      ...(cursor ? { startingAfter: cursor } : {}),
      ...(signal ? { signal } : {}),
    });
    return {
      items: page.tickets,
      total: page.total_count ?? undefined,
      next: page.pages?.next?.starting_after ?? undefined,
    };
  }, signal);
  for await (const { items } of pages) for (const t of items) read.set(t.id, t);
  return [...read.values()].filter((t) => t.updated_at === second);
}
