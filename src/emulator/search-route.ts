/**
 * What the search and list routes share (`POST /conversations/search`, `/contacts/search`,
 * `/tickets/search`): the request body, the page size, cursor pages and the query compiled against
 * a record type's fields, each mistake answered with the API's 400.
 */
import { z } from 'zod';
import { ApiError, invalid } from './api-errors.js';
import { CursorError, DEFAULT_PER_PAGE, MAX_PER_PAGE, slicePage } from './pagination.js';
import { compileQuery, SearchQueryError, type FieldSpec } from './search-query.js';

export function perPageFrom(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PER_PAGE;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PER_PAGE) {
    throw invalid(`per_page must be an integer between 1 and ${MAX_PER_PAGE}`, 'per_page');
  }
  return n;
}

export function paged<T>(all: readonly T[], perPage: number, startingAfter: string | undefined) {
  try {
    return slicePage(all, perPage, startingAfter);
  } catch (e) {
    if (e instanceof CursorError) throw new ApiError(400, 'client_error', e.message, 'starting_after');
    throw e;
  }
}

const searchBody = z.object({
  query: z.unknown().refine((q) => q !== undefined && q !== null, 'query is required'),
  pagination: z.object({ per_page: z.unknown().optional(), starting_after: z.string().nullish() }).nullish(),
  sort: z
    .object({ field: z.string(), order: z.enum(['ascending', 'descending']).default('descending') })
    .optional(),
});

export function parseSearch(body: unknown) {
  const parsed = searchBody.safeParse(body);
  if (!parsed.success)
    throw invalid(`Invalid search request: ${parsed.error.issues[0]?.message ?? 'bad body'}`);
  return parsed.data;
}

export function compile<T>(query: unknown, fields: Record<string, FieldSpec<T>>) {
  try {
    return compileQuery(query, fields);
  } catch (e) {
    if (e instanceof SearchQueryError) throw invalid(e.message, 'query');
    throw e;
  }
}
