/** Tickets' text on PostgreSQL: the vector each ticket's write derives (migrations.ts), ranked by ts_rank_cd. */
import { kysely } from '../shared/kysely.js';
import type { TicketTextIndex } from '../shared/tickets.js';
import { toTsQuery } from './search-syntax.js';

// Weights for D, C, B, A: parts, (unused), description, title, as 1 : 2 : 4 on SQLite.
const WEIGHTS = '{0.1, 0.1, 0.2, 0.4}';

export const ticketText: TicketTextIndex = {
  matches: (parsed) => {
    const query = toTsQuery(parsed);
    return kysely().sql<{ rid: number; score: number }>`(SELECT rid,
      ts_rank_cd(${WEIGHTS}::float4[], search_tsv, to_tsquery('fim', ${query})) AS score
      FROM tickets WHERE search_tsv @@ to_tsquery('fim', ${query}))`;
  },
  better: 'desc',
};
