/** Aggregates, the directory and contact look-ups on PostgreSQL (SQL in insight-rows.ts). */
import type { Db } from './connection.js';
import * as insight from '../insight-rows.js';
import { tallyStats, type StatsRow } from '../stats-tally.js';
import { contactPattern, fold } from '../text-match.js';
import type {
  ContactDetail,
  ContactSummary,
  ConversationStats,
  DirectoryEntry,
  StatsRequest,
  WorkspaceDirectory,
} from '../types.js';
import { conditions, Params } from './search.js';

/** Rows as arrays of their columns, as the tally reads them. */
const arrays = async <T extends unknown[]>(db: Db, text: string, values: unknown[] = []) =>
  (await db.query<T>({ text, values, rowMode: 'array' })).rows;

export async function conversationStats(db: Db, q: StatsRequest): Promise<ConversationStats> {
  const params = new Params();
  const where = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  const names = async (table: Parameters<typeof insight.NAMES_SQL>[0]) =>
    new Map(await arrays<[string, string | null]>(db, insight.NAMES_SQL(table)));
  return tallyStats(
    await arrays<StatsRow>(db, insight.STATS_ROWS_SQL(where), params.values),
    await arrays<[string, number]>(db, insight.STATS_TAGS_SQL(where), params.values),
    { tags: await names('tags'), admins: await names('admins'), teams: await names('teams') },
    q.buckets,
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
