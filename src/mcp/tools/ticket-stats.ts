/** ticket_stats: how many tickets, by state and by type, over a timeframe and the filters of search_tickets. */
import { z } from 'zod';
import { describeTimeframe } from '../../time/timeframe.js';
import { count } from '../../wording.js';
import { freshnessShape, windowShape } from '../shapes.js';
import { refuseForbidden, ticketFilterArgs, ticketFilters } from './tickets.js';
import { defineTool, READ_ONLY } from './tool.js';

export const ticketStats = defineTool({
  name: 'ticket_stats',
  title: 'Count tickets',
  description:
    'How many tickets match, by state (its category and its own name) and by type; timeframe and filters as in search_tickets.',
  input: ticketFilterArgs,
  output: {
    total: z.number(),
    by_state: z.array(z.object({ state: z.string(), label: z.string().optional(), count: z.number() })),
    by_type: z.array(z.object({ type: z.string().optional(), count: z.number() })),
    timeframe: windowShape.optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const { window, freshness, forbidden, filters } = await ticketFilters(args, deps);
    const stats = await deps.store.ticketStats(filters);
    if (stats.total === 0) refuseForbidden(forbidden, 'No ticket counted');
    const by_state = stats.byState.map((s) => ({ state: s.category, label: s.label, count: s.count }));
    const by_type = stats.byType.map((t) => ({ type: t.name ?? t.id, count: t.count }));
    const echo = window ? describeTimeframe(window) : null;
    const text = [
      `${count(stats.total, 'ticket')}${echo ? ` active ${echo.from} → ${echo.to} (${echo.zone})` : ''}. ${freshness.note}`,
      `By state: ${by_state.map((s) => `${s.label ?? s.state} (${s.state}) ${s.count}`).join('; ') || 'none'}`,
      `By type: ${by_type.map((t) => `${t.type ?? 'no type'} ${t.count}`).join('; ') || 'none'}`,
    ].join('\n');
    return {
      text,
      structured: { total: stats.total, by_state, by_type, timeframe: echo, freshness },
      empty: stats.total === 0,
    };
  },
});
