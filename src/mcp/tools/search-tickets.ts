/** search_tickets: tickets by words in their title, description and every part, with filters and paging. */
import { z } from 'zod';
import { describeTimeframe } from '../../time/timeframe.js';
import { count } from '../../wording.js';
import { FENCE_NOTE } from '../fence.js';
import { hitPage } from '../hit-page.js';
import { decodeCursor, encodeCursor } from '../filters.js';
import { cursorArg, freshnessShape, windowShape } from '../shapes.js';
import { SEARCH_BUDGET } from './search-conversations.js';
import {
  refuseForbidden,
  renderTicketHit,
  ticketFilterArgs,
  ticketFilters,
  ticketHitOut,
  ticketHitShape,
} from './tickets.js';
import { defineTool, READ_ONLY } from './tool.js';

export const searchTickets = defineTool({
  name: 'search_tickets',
  title: 'Search tickets',
  description:
    'Tickets by words in their title, description, replies and notes, most relevant first (without a query, newest first); ' +
    `timeframe and filters as in search_conversations. ${FENCE_NOTE}`,
  input: {
    ...ticketFilterArgs,
    sort: z.enum(['relevance', 'newest', 'oldest']).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: cursorArg,
  },
  output: {
    tickets: z.array(ticketHitShape),
    total: z.number(),
    next_cursor: z.string().optional(),
    timeframe: windowShape.optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const { a, window, freshness, forbidden, filters: found } = await ticketFilters(args, deps);
    const filters = { ...found, sort: args.sort ?? (found.text ? 'relevance' : 'newest') } as const;
    const offset = args.cursor ? decodeCursor(args.cursor, filters) : 0;
    const page = await deps.store.searchTickets({ ...filters, limit: args.limit, offset });
    if (page.total === 0) refuseForbidden(forbidden, 'No ticket found');
    const hits = page.hits.map((h) => ticketHitOut(h, a));
    const rendered = hits.map(renderTicketHit);
    const echo = window ? describeTimeframe(window) : null;
    const head = `${count(page.total, 'ticket')} match${echo ? ` (active ${echo.from} → ${echo.to}, ${echo.zone})` : ''}. ${freshness.note}`;
    const listed = hitPage({
      head,
      rendered,
      offset,
      total: page.total,
      budget: SEARCH_BUDGET,
      cursorAt: (o) => encodeCursor(o, filters),
      none: 'No tickets found.',
    });
    return {
      text: listed.text,
      structured: {
        tickets: hits.slice(0, listed.shown),
        total: page.total,
        next_cursor: listed.next,
        timeframe: echo,
        freshness,
      },
      empty: page.total === 0,
    };
  },
});
