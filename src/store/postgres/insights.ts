/** Aggregates, the directory and contact look-ups on PostgreSQL (SQL in insight-rows.ts). */
import type { Db } from './connection.js';
import * as insight from '../insight-rows.js';
import { tallyStats, type StatsNames, type StatsRow } from '../stats-tally.js';
import { levelsPlan } from '../levels-tally.js';
import { runPlanAsync } from '../read-plan.js';
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
import { conditions, Params } from './search.js';

/** Rows as arrays of their columns, as the tally reads them. */
const arrays = async <T extends unknown[]>(db: Db, text: string, values: unknown[] = []) =>
  (await db.query<T>({ text, values, rowMode: 'array' })).rows;

/** The directory's names, to name the groups of an answer. */
async function directoryNames(db: Db): Promise<StatsNames> {
  const names = async (table: Parameters<typeof insight.NAMES_SQL>[0]) =>
    new Map(await arrays<[string, string | null]>(db, insight.NAMES_SQL(table)));
  return { tags: await names('tags'), admins: await names('admins'), teams: await names('teams') };
}

export async function conversationStats(db: Db, q: StatsRequest): Promise<ConversationStats> {
  const params = new Params();
  const where = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  return tallyStats(
    await arrays<StatsRow>(db, insight.STATS_ROWS_SQL(where), params.values),
    await arrays<[string, number]>(db, insight.STATS_TAGS_SQL(where), params.values),
    await directoryNames(db),
    q.buckets,
  );
}

/** Themes as theme-tally.ts plans them, one query at a time in the caller's read transaction. */
export async function conversationThemes(db: Db, q: ThemesRequest): Promise<ConversationThemes> {
  const window = (from: number, to: number, below = SAMPLE_RANGE) => {
    const params = new Params();
    const sql = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(from)} AND c.created_at < ${params.add(to)}`;
    return { sql: insight.sampledWhere(sql, below, (v) => params.add(v)), values: params.values };
  };
  const value = async (sql: string, values: unknown[]) => (await arrays<[unknown]>(db, sql, values))[0]?.[0];
  return runPlanAsync(themePlan(q), async (r) => {
    switch (r.read) {
      case 'count': {
        const w = window(r.from, r.to);
        return value(insight.COUNT_SQL(w.sql), w.values);
      }
      case 'window': {
        const w = window(r.from, r.to, r.below);
        return value(insight.THEME_WINDOW_SQL(w.sql), w.values);
      }
      case 'names':
        return arrays(db, 'SELECT hash, term FROM terms WHERE hash = ANY($1::bigint[])', [r.hashes]);
      case 'ids':
        return arrays(db, 'SELECT rid, id FROM conversations WHERE rid = ANY($1::bigint[])', [r.rids]);
      case 'directory':
        return directoryNames(db);
    }
  });
}

/** Service levels as levels-tally.ts plans them, one query at a time in the caller's read transaction. */
export async function serviceLevels(db: Db, q: LevelsRequest): Promise<ServiceLevels> {
  const kind = insight.LEVELS_OF[q.of];
  const where = (params: Params) =>
    q.of === 'tickets'
      ? insight.ticketLevelsWhere(q, (v) => params.add(v))
      : `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  const value = async (read: (params: Params) => string) => {
    const params = new Params();
    const sql = read(params);
    return (await arrays<[unknown]>(db, sql, params.values))[0]![0];
  };
  return runPlanAsync(levelsPlan(q), async (r) => {
    switch (r.read) {
      case 'count':
        return value((p) => insight.COUNT_SQL(where(p), kind.table));
      case 'window':
        return value((p) =>
          kind.window(insight.sampledWhere(where(p), r.below, (v) => p.add(v), kind.created)),
        );
      case 'directory':
        return directoryNames(db);
    }
  });
}

export async function searchContacts(db: Db, text: string, limit: number): Promise<ContactSummary[]> {
  return (
    await db.query<ContactSummary>(insight.SEARCH_CONTACTS_SQL('$1', '$2', '$3'), [
      contactPattern(text),
      text,
      limit,
    ])
  ).rows;
}

export async function getContact(db: Db, idOrEmail: string): Promise<ContactDetail | undefined> {
  const contact = (
    await db.query<ContactSummary>(insight.CONTACT_SQL('$1', '$2'), [idOrEmail, fold(idOrEmail)])
  ).rows[0];
  if (!contact) return undefined;
  const rows = async <T extends object>(text: string) => (await db.query<T>(text, [contact.id])).rows;
  return insight.toDetail(
    contact,
    await rows<insight.RecentRow>(insight.RECENT_SQL('$1')),
    await rows<ContactDetail['companies'][number]>(insight.CONTACT_COMPANIES_SQL('$1')),
  );
}

export async function workspaceDirectory(db: Db): Promise<WorkspaceDirectory> {
  const counted = async (sql: string) => (await db.query<DirectoryEntry>(sql)).rows;
  return {
    admins: await counted(insight.DIRECTORY_SQL.admins),
    teams: await counted(insight.DIRECTORY_SQL.teams),
    tags: await counted(insight.DIRECTORY_SQL.tags),
  };
}
