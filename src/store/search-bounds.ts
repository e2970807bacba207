/**
 * The bounds every engine's search keeps (types.ts says why): how far it counts, how deep a page
 * goes, and what its answer says of them. The engines run the counts; these say what they mean.
 */
import { COUNT_BOUND, CUSTOMER_WINDOW, RANK_WINDOW, type SearchPage, type SearchParams } from './types.js';

/** How many matches a search counts before it stops: the caller's `countTo`, at most COUNT_BOUND. */
export const countTo = (p: SearchParams) => Math.min(p.countTo ?? COUNT_BOUND, COUNT_BOUND);

/** The page's size: pages end at the RANK_WINDOW-th match, in any order. */
export const pageSize = (p: SearchParams) => Math.max(0, Math.min(p.limit, RANK_WINDOW - p.offset));

/**
 * The answer's count from `n`, counted up to one past `to`, and whether the customer filter kept
 * only CUSTOMER_WINDOW of its conversations.
 */
export function counts(
  n: number,
  to: number,
  narrowed: boolean,
): Pick<SearchPage, 'total' | 'more' | 'customerWindow'> {
  return {
    total: Math.min(n, to),
    ...(n > to ? { more: true } : {}),
    ...(narrowed ? { customerWindow: CUSTOMER_WINDOW } : {}),
  };
}

/** What a relevance page says of its ranking: the window it ranked, when more matched than counted. */
export const rankedOf = (page: Pick<SearchPage, 'more'>, window: number): Pick<SearchPage, 'ranked'> =>
  page.more && window > 0 ? { ranked: window } : {};
