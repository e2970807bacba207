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

/** A window listed whole: every ticket updated in [from, to). */
export interface TicketWindow {
  from: number;
  to: number;
  tickets: ApiTicket[];
}

/** How full a window may be expected to come back when one is split by its count. */
const SPLIT_FILL = 0.75;
/** How often to re-read a crowded second whose members moved while it was being paged. */
const MAX_SECOND_PASSES = 5;

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
  const pending: [number, number][] = [[from, to]];
  while (pending.length > 0) {
    const [a, b] = pending.pop()!;
    if (a >= b) continue;
    signal?.throwIfAborted();
    const page = await api.searchTickets({
      query: between(a, b),
      perPage: MAX_PER_PAGE,
      ...(signal ? { signal } : {}),
    });
    const total = page.total_count ?? page.tickets.length;
    if (total <= page.tickets.length) yield { from: a, to: b, tickets: page.tickets };
    else if (b - a > 1) pending.push(...splitWindow(a, b, Math.ceil(total / (MAX_PER_PAGE * SPLIT_FILL))));
    else yield { from: a, to: b, tickets: await wholeSecond(api, a, signal) };
  }
}

async function wholeSecond(api: IntercomApi, second: number, signal?: AbortSignal): Promise<ApiTicket[]> {
  const query: SearchQuery = { field: 'updated_at', operator: '=', value: second };
  const read = new Map<string, ApiTicket>();
  for (let pass = 0; pass < MAX_SECOND_PASSES; pass++) {
    let cursor: string | undefined;
    let total = 0;
    const presentNow = new Set<string>();
    do {
      signal?.throwIfAborted();
      const page = await api.searchTickets({
        query,
        perPage: MAX_PER_PAGE,
        ...(cursor ? { startingAfter: cursor } : {}),
        ...(signal ? { signal } : {}),
      });
      total = page.total_count ?? total;
      for (const t of page.tickets) {
        read.set(t.id, t);
        presentNow.add(t.id);
      }
      cursor = page.pages?.next?.starting_after ?? undefined;
    } while (cursor);
    if (presentNow.size >= total) break;
  }
  // Members that moved out of the second were updated, and are read at their new time.
  return [...read.values()].filter((t) => t.updated_at === second);
}
