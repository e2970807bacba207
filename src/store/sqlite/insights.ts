/** Aggregates and contact look-ups for the server's analysis tools (SQL in insight-rows.ts). */
import type Database from 'better-sqlite3';
import * as insight from '../insight-rows.js';
import type { ConversationSearch } from './search.js';
import { statsLines, tallyStats, type StatsGroups, type StatsNames } from '../stats-tally.js';
import { levelsPlan } from '../levels-tally.js';
import { runPlan } from '../read-plan.js';
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

/** Each conversation as a line of one text value, as statsLines (stats-tally.ts) reads it. */
const STATS_LINES_SQL = (where: string) =>
  `SELECT string_agg(c.created_at || ' ' || c.state || ' ' || coalesce(c.admin_assignee_id, '') || ' ' ||
     coalesce(c.team_assignee_id, '') || ' ' || coalesce(c.first_admin_reply_at - c.created_at, '') || ' ' ||
     coalesce(c.first_close_at - c.created_at, ''), ' ')
   FROM conversations c WHERE ${where}`;

/**
 * Conversations created in [from, to) that pass the filters: the usual reading of "volume this
 * week". One scan of the matching rows and one of their tag links feed every breakdown.
 */
export function conversationStats(
  db: Database.Database,
  q: StatsRequest & { where: ReturnType<ConversationSearch['conditions']> },
): ConversationStats {
  const where = `${q.where.sql} AND c.created_at >= @from AND c.created_at < @to`;
  const args = { ...q.where.args, from: q.from, to: q.to };
  const lines = db.prepare(STATS_LINES_SQL(where)).pluck().get(args) as string | null;
  const groups = statsLines(lines, q.buckets);
  return tallyStats(groups, statsTags(db, q, where, args, groups), directoryNames(db), q.buckets);
}

/**
 * The tags of the window's conversations: those outside it subtracted from every link when the
 * window holds more than it leaves out and nothing filters it (STATS_TAGS_BESIDE_SQL).
 * PostgreSQL counts its tags beside its other scans instead (postgres/insights.ts).
 */
function statsTags(
  db: Database.Database,
  q: StatsRequest,
  where: string,
  args: Record<string, unknown>,
  groups: StatsGroups,
): [string, number][] {
  const inside = groups.groups.reduce((n, g) => n + g[3], 0);
  const unfiltered = Object.values(q.filters).every((v) => v === undefined);
  const outside = () =>
    db
      .prepare(insight.OUTSIDE_COUNT_SQL('@from', '@to', '@inside'))
      .pluck()
      .get({ from: q.from, to: q.to, inside }) as number;
  return (
    unfiltered && inside > 0 && outside() < inside
      ? db.prepare(insight.STATS_TAGS_BESIDE_SQL('@from', '@to')).raw().all({ from: q.from, to: q.to })
      : db.prepare(insight.STATS_TAGS_SQL(where)).raw().all(args)
  ) as [string, number][];
}

type Where = ReturnType<ConversationSearch['conditions']>;
type Place = (value: unknown) => string;

/**
 * The one value of the statement `read` builds, with the filters' named arguments and a name for
 * each further value it places.
 */
function valueOf(db: Database.Database, where: Where, read: (place: Place) => string): unknown {
  const args: Record<string, unknown> = { ...where.args };
  let n = 0;
  const sql = read((value) => {
    const name = `v${n++}`;
    args[name] = value;
    return `@${name}`;
  });
  return db.prepare(sql).pluck().get(args);
}

/** Service levels as levels-tally.ts plans them, every read inside the caller's transaction. */
export function serviceLevels(db: Database.Database, q: LevelsRequest & { where: Where }): ServiceLevels {
  const kind = insight.LEVELS_OF[q.of];
  // Tickets take only the team and assignee, by their own values; conversations every filter.
  const value = (read: (where: string, place: Place) => string) =>
    q.of === 'tickets'
      ? valueOf(db, { sql: '', args: {} }, (place) => read(insight.ticketLevelsWhere(q, place), place))
      : valueOf(db, q.where, (place) =>
          read(`${q.where.sql} AND ${insight.createdIn('c.created_at', q, place)}`, place),
        );
  return runPlan(levelsPlan(q), (r) => {
    switch (r.read) {
      case 'count':
        return value((where) => insight.COUNT_SQL(where, kind.table));
      case 'window':
        return value((where, place) =>
          kind.window(insight.sampledWhere(where, r.below, place, kind.created)),
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
  const narrowed = insight.narrows(q.filters);
  const live = (w: { from: number; to: number; below?: number }, place: Place) =>
    `${q.where.sql} AND ${insight.createdIn('c.created_at', w, place)}`;
  const listed = (sql: string, values: number[]) => db.prepare(sql).raw().all(JSON.stringify(values));
  return runPlan(themePlan(q), (r) => {
    switch (r.read) {
      case 'count':
        return valueOf(db, q.where, (place) => insight.COUNT_SQL(live(r, place)));
      case 'window': {
        const text = valueOf(db, q.where, (place) =>
          narrowed
            ? insight.FILTERED_THEME_WINDOW_SQL(live(r, place), null)
            : insight.THEME_WINDOW_SQL(insight.termsIn(r, place), null),
        ) as string | null;
        if (text !== null) r.each(text);
        return;
      }
      case 'names':
        return listed(
          'SELECT hash, term FROM terms WHERE hash IN (SELECT value FROM json_each(?))',
          r.hashes,
        );
      case 'members':
        return db
          .prepare(insight.THEME_MEMBERS_SQL('IN (SELECT value FROM json_each(?))'))
          .pluck()
          .get(JSON.stringify(r.rids));
      case 'tickets':
        return valueOf(db, { sql: '', args: {} }, (place) =>
          insight.THEME_TICKETS_SQL(
            insight.ticketLevelsWhere({ ...r, filters: q.filters }, place),
            place(r.limit),
          ),
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
