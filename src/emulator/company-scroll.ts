/**
 * The companies scroll's rules, as `GET /companies/scroll` documents them: one scroll open per app
 * at a time (opening a second is refused, and counted, so tests can prove a client never tries),
 * a scroll unused for a minute expires, the end of the scroll answers no companies and expires
 * it, and a network error mid-way answers 500 and ends the scroll: it can only be restarted.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from './api-errors.js';

export const SCROLL_PAGE = 50;
export const SCROLL_RESTART_MESSAGE =
  'Request failed due to an internal network error. Please restart the scroll operation.';

interface OpenScroll {
  param: string;
  /** The ids as they stood when the scroll opened: a scroll walks a snapshot. */
  ids: string[];
  offset: number;
  usedAt: number;
}

export class ScrollBook {
  private open: OpenScroll | undefined;
  /** Scrolls refused because another was open. */
  refused = 0;
  opened = 0;
  /** Scrolls read to their empty last page. */
  finished = 0;
  /** Pages to serve before the next network error, when one is scripted. */
  private breakAfter: number | undefined;

  constructor(private readonly expirySeconds: number) {}

  /** The next page of ids: the first, when `param` is null, opens a scroll. */
  page(param: string | null, liveIds: () => string[], nowMs = Date.now()): { ids: string[]; param: string } {
    const open = this.open && nowMs - this.open.usedAt < this.expirySeconds * 1000 ? this.open : undefined;
    let scroll: OpenScroll;
    if (param === null) {
      if (open) {
        this.refused++;
        throw new ApiError(
          400,
          'scroll_exists',
          'A scroll is already open for this app: only one may be open at a time (it expires after a minute unused).',
        );
      }
      scroll = this.open = { param: randomUUID(), ids: liveIds(), offset: 0, usedAt: nowMs };
      this.opened++;
    } else {
      if (!open || open.param !== param)
        throw new ApiError(
          400,
          'parameter_invalid',
          'scroll_param is not valid or has expired',
          'scroll_param',
        );
      scroll = open;
    }
    if (this.breakAfter !== undefined && this.breakAfter-- <= 0) {
      this.breakAfter = undefined;
      this.open = undefined;
      throw new ApiError(500, 'server_error', SCROLL_RESTART_MESSAGE);
    }
    const ids = scroll.ids.slice(scroll.offset, scroll.offset + SCROLL_PAGE);
    scroll.offset += ids.length;
    scroll.usedAt = nowMs;
    if (ids.length === 0) {
      this.open = undefined;
      this.finished++;
    }
    return { ids, param: scroll.param };
  }

  /** The scroll breaks with a network error after `pages` more pages are served. */
  breakAfterPages(pages: number): void {
    this.breakAfter = pages;
  }
}
