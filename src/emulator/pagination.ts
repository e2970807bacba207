/**
 * Cursor paging as the emulator serves it. The cursor is opaque to clients but is an offset into
 * the result set as sorted when each page is asked for: Intercom's paging is stateless, so a record
 * updated between two pages can move and cause a duplicate or a miss. The sync must survive that.
 */
export class CursorError extends Error {}

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 150;

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const o = (parsed as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // Falls through to the error below: any undecodable cursor is the client's mistake.
  }
  throw new CursorError(`starting_after '${cursor}' is not a valid cursor`);
}

export interface PageSlice<T> {
  items: T[];
  page: number;
  perPage: number;
  totalPages: number;
  next: string | undefined;
}

export function slicePage<T>(
  all: readonly T[],
  perPage: number,
  startingAfter: string | undefined,
): PageSlice<T> {
  const offset = startingAfter ? decodeCursor(startingAfter) : 0;
  const items = all.slice(offset, offset + perPage);
  const end = offset + items.length;
  return {
    items,
    page: Math.floor(offset / perPage) + 1,
    perPage,
    totalPages: Math.max(1, Math.ceil(all.length / perPage)),
    next: end < all.length ? encodeCursor(end) : undefined,
  };
}

export function renderPages(slice: PageSlice<unknown>): Record<string, unknown> {
  return {
    type: 'pages',
    page: slice.page,
    per_page: slice.perPage,
    total_pages: slice.totalPages,
    ...(slice.next ? { next: { per_page: slice.perPage, starting_after: slice.next } } : {}),
  };
}
