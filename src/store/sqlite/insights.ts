/** Aggregates and contact look-ups for the server's analysis tools (SQL in insight-rows.ts). */
import type Database from 'better-sqlite3';
import * as insight from '../insight-rows.js';
import type { ConversationSearch } from './search.js';
import { tallyStats, type StatsNames, type StatsRow } from '../stats-tally.js';
import {
  tallyLevels,
  type ConversationLevelRow,
  type TicketLevelRow,
  type TicketPartRow,
} from '../levels-tally.js';
import { candidates, countHashes, shortlist, themesOf, type ThemeRow } from '../theme-tally.js';
import { contactPattern, fold } from '../text-match.js';
import type {
  ContactDetail,
  ContactSummary,
  ConversationStats,
  ConversationThemes,
  DirectoryEntry,
  LevelsRequest,
  ServiceLevels,
  StatsRequest,
  ThemesRequest,
  WorkspaceDirectory,
} from '../types.js';

/** The directory's names, to name the groups of an answer. */
function directoryNames(db: Database.Database): StatsNames {
  const names = (table: Parameters<typeof insight.NAMES_SQL>[0]) =>
    new Map(db.prepare(insight.NAMES_SQL(table)).raw().all() as [string, string | null][]);
  return { tags: names('tags'), admins: names('admins'), teams: names('teams') };
}

/**
 * Conversations created in [from, to) that pass the filters: the usual reading of "volume this
 * week". One scan of the matching rows and one of their tag links feed every breakdown: a GROUP BY
 * per breakdown read the rows four times.
 */
export function conversationStats(
  db: Database.Database,
  q: Omit<StatsRequest, 'filters'> & { where: ReturnType<ConversationSearch['conditions']> },
): ConversationStats {
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const args = { ...q.where.args, from: q.from, to: q.to };
  const rows = db.prepare(insight.STATS_ROWS_SQL(where)).raw().all(args) as StatsRow[];
  const tags = db.prepare(insight.STATS_TAGS_SQL(where)).raw().all(args) as [string, number][];
  return tallyStats(rows, tags, directoryNames(db), q.buckets);
}

type Where = ReturnType<ConversationSearch['conditions']>;

/** The work of a window and its parts or tags, read in one transaction (levels-tally.ts counts them). */
export function serviceLevels(db: Database.Database, q: LevelsRequest & { where: Where }): ServiceLevels {
  const directory = directoryNames(db);
  if (q.of === 'tickets') {
    const args: unknown[] = [];
    const where = insight.ticketLevelsWhere(q, (v) => (args.push(v), '?'));
    const read = (sql: string) => db.prepare(sql).raw().all(args);
    return tallyLevels(
      q.buckets,
      {
        of: 'tickets',
        rows: read(insight.TICKET_LEVELS_SQL(where)) as TicketLevelRow[],
        parts: read(insight.TICKET_LEVEL_PARTS_SQL(where)) as TicketPartRow[],
      },
      directory,
    );
  }
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const read = (sql: string) =>
    db
      .prepare(sql)
      .raw()
      .all({ ...q.where.args, from: q.from, to: q.to });
  return tallyLevels(
    q.buckets,
    {
      of: 'conversations',
      rows: read(insight.CONVERSATION_LEVELS_SQL(where)) as ConversationLevelRow[],
      tagLinks: read(insight.TAG_LINKS_SQL(where)) as [number, string][],
    },
    directory,
  );
}

/** The period's and the baseline's conversations, read once each (theme-tally.ts counts them). */
export function conversationThemes(
  db: Database.Database,
  q: ThemesRequest & { where: Where },
): ConversationThemes {
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const rows = (from: number, to: number) =>
    db
      .prepare(insight.THEME_ROWS_SQL(where))
      .raw()
      .all({ ...q.where.args, from, to }) as ThemeRow[];
  const periodRows = rows(q.from, q.to);
  const period = countHashes(periodRows);
  const ranking = candidates(period, q.minCount);
  const baseline = countHashes(rows(q.baselineFrom, q.baselineTo), ranking);
  const named = db
    .prepare('SELECT hash, term FROM terms WHERE hash IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(shortlist(ranking, period, baseline, q))) as [number, string][];
  const tags = db
    .prepare(insight.TAG_LINKS_SQL(where))
    .raw()
    .all({ ...q.where.args, from: q.from, to: q.to }) as [number, string][];
  return themesOf(q, periodRows, period, baseline, new Map(named), tags, directoryNames(db));
}

export function searchContacts(db: Database.Database, text: string, limit: number): ContactSummary[] {
  return db
    .prepare(insight.SEARCH_CONTACTS_SQL('@like', '@text', '@limit'))
    .all({ like: contactPattern(text), text, limit }) as ContactSummary[];
}

export function getContact(db: Database.Database, idOrEmail: string): ContactDetail | undefined {
  const contact = db
    .prepare(insight.CONTACT_SQL('@x', '@key'))
    .get({ x: idOrEmail, key: fold(idOrEmail) }) as ContactSummary | undefined;
  if (!contact) return undefined;
  const rows = <T>(sql: string) => db.prepare(sql).all(contact.id) as T[];
  return insight.toDetail(
    contact,
    rows<insight.RecentRow>(insight.RECENT_SQL('?')),
    rows<ContactDetail['companies'][number]>(insight.CONTACT_COMPANIES_SQL('?')),
  );
}

export function workspaceDirectory(db: Database.Database): WorkspaceDirectory {
  const counted = (sql: string) => db.prepare(sql).all() as DirectoryEntry[];
  return {
    admins: counted(insight.DIRECTORY_SQL.admins),
    teams: counted(insight.DIRECTORY_SQL.teams),
    tags: counted(insight.DIRECTORY_SQL.tags),
  };
}
