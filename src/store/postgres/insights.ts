/** Aggregates, the directory and contact look-ups on PostgreSQL (SQL in insight-rows.ts). */
import type { Db } from './connection.js';
import * as insight from '../insight-rows.js';
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

/** The period's and the baseline's conversations, read once each (theme-tally.ts counts them). */
export async function conversationThemes(db: Db, q: ThemesRequest): Promise<ConversationThemes> {
  const params = new Params();
  const where = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  // The same conditions over another window: the last two values are its bounds.
  const window = (from: number, to: number) => [...params.values.slice(0, -2), from, to];
  const periodRows = await arrays<ThemeRow>(db, insight.THEME_ROWS_SQL(where), window(q.from, q.to));
  const period = countHashes(periodRows);
  const baselineRows = await arrays<ThemeRow>(
    db,
    insight.THEME_ROWS_SQL(where),
    window(q.baselineFrom, q.baselineTo),
  );
  const ranking = candidates(period, q.minCount);
  const baseline = countHashes(baselineRows, ranking);
  const named = await arrays<[number, string]>(
    db,
    'SELECT hash, term FROM terms WHERE hash = ANY($1::bigint[])',
    [shortlist(ranking, period, baseline, q)],
  );
  const tags = await arrays<[number, string]>(db, insight.TAG_LINKS_SQL(where), window(q.from, q.to));
  return themesOf(q, periodRows, period, baseline, new Map(named), tags, await directoryNames(db));
}

/** The work of a window and its parts or tags (levels-tally.ts counts them), in one read transaction. */
export async function serviceLevels(db: Db, q: LevelsRequest): Promise<ServiceLevels> {
  const directory = await directoryNames(db);
  const params = new Params();
  if (q.of === 'tickets') {
    const where = insight.ticketLevelsWhere(q, (v) => params.add(v));
    return tallyLevels(
      q.buckets,
      {
        of: 'tickets',
        rows: await arrays<TicketLevelRow>(db, insight.TICKET_LEVELS_SQL(where), params.values),
        parts: await arrays<TicketPartRow>(db, insight.TICKET_LEVEL_PARTS_SQL(where), params.values),
      },
      directory,
    );
  }
  const where = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  return tallyLevels(
    q.buckets,
    {
      of: 'conversations',
      rows: await arrays<ConversationLevelRow>(db, insight.CONVERSATION_LEVELS_SQL(where), params.values),
      tagLinks: await arrays<[number, string]>(db, insight.TAG_LINKS_SQL(where), params.values),
    },
    directory,
  );
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
