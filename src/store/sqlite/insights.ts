/** Aggregates and contact look-ups for the server's analysis tools (SQL in insight-rows.ts). */
import type Database from 'better-sqlite3';
import * as insight from '../insight-rows.js';
import type { ConversationSearch } from './search.js';
import { tallyStats, type StatsNames, type StatsRow } from '../stats-tally.js';
import { levelsPlan } from '../levels-tally.js';
import { runPlan } from '../read-plan.js';
import { SAMPLE_RANGE } from '../sample.js';
import { themePlan } from '../theme-tally.js';
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

/** Service levels as levels-tally.ts plans them, every read inside the caller's transaction. */
export function serviceLevels(db: Database.Database, q: LevelsRequest & { where: Where }): ServiceLevels {
  const kind = insight.LEVELS_OF[q.of];
  // Tickets take only the team and assignee, by their own named values; conversations every filter.
  const args: Record<string, unknown> = q.of === 'tickets' ? {} : { ...q.where.args, from: q.from, to: q.to };
  const where =
    q.of === 'tickets'
      ? insight.ticketLevelsWhere(q, (v) => {
          const name = `t${Object.keys(args).length}`;
          args[name] = v;
          return `@${name}`;
        })
      : `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const value = (sql: string) => db.prepare(sql).pluck().get(args);
  return runPlan(levelsPlan(q), (r) => {
    switch (r.read) {
      case 'count':
        return value(insight.COUNT_SQL(where, kind.table));
      case 'window':
        return value(
          kind.window(
            insight.sampledWhere(where, r.below, (v) => ((args.below = v), '@below'), kind.created),
          ),
        );
      case 'directory':
        return directoryNames(db);
    }
  });
}

/** Themes as theme-tally.ts plans them, every read inside the caller's transaction. */
export function conversationThemes(
  db: Database.Database,
  q: ThemesRequest & { where: Where },
): ConversationThemes {
  const window = (from: number, to: number, below = SAMPLE_RANGE) => {
    const args: Record<string, unknown> = { ...q.where.args, from, to };
    const base = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
    return { sql: insight.sampledWhere(base, below, (v) => ((args.below = v), '@below')), args };
  };
  const value = (sql: string, args: Record<string, unknown>) => db.prepare(sql).pluck().get(args);
  const listed = (sql: string, values: number[]) => db.prepare(sql).raw().all(JSON.stringify(values));
  return runPlan(themePlan(q), (r) => {
    switch (r.read) {
      case 'count': {
        const w = window(r.from, r.to);
        return value(insight.COUNT_SQL(w.sql), w.args);
      }
      case 'window': {
        const w = window(r.from, r.to, r.below);
        return value(insight.THEME_WINDOW_SQL(w.sql), w.args);
      }
      case 'names':
        return listed(
          'SELECT hash, term FROM terms WHERE hash IN (SELECT value FROM json_each(?))',
          r.hashes,
        );
      case 'ids':
        return listed(
          'SELECT rid, id FROM conversations WHERE rid IN (SELECT value FROM json_each(?))',
          r.rids,
        );
      case 'directory':
        return directoryNames(db);
    }
  });
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
