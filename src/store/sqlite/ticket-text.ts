/** Tickets' text on SQLite: the contentless FTS5 index the ticket writes keep (migrations.ts), ranked by bm25. */
import { kysely } from '../shared/kysely.js';
import type { TicketTextIndex } from '../shared/tickets.js';
import { toFtsMatch } from './search-syntax.js';

export const ticketText: TicketTextIndex = {
  // Title, description and parts weighted 4 : 2 : 1, as articles are. The LIMIT keeps the query
  // whole, where bm25 is allowed, instead of flattened into the join around it.
  matches: (parsed) =>
    kysely().sql<{
      rid: number;
      score: number;
    }>`(SELECT rowid AS rid, bm25(tickets_fts, 4.0, 2.0, 1.0) AS score
      FROM tickets_fts WHERE tickets_fts MATCH ${toFtsMatch(parsed)} LIMIT -1)`,
  better: 'asc',
};
