/** Aggregates, the directory and contact look-ups on PostgreSQL (SQL in insight-rows.ts). */
import pg from 'pg';
import type { Db } from './connection.js';
import * as insight from '../insight-rows.js';
import { tallyStats, type StatsGroups, type StatsNames } from '../stats-tally.js';
import { levelsPlan } from '../levels-tally.js';
import { runPlanAsync } from '../read-plan.js';
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

/**
 * The medians as the tally takes them (stats-tally.ts: the mean of the middle two of an even
 * count, rounded here): a year of 100,000 conversations in about 45 ms, where reading their
 * durations as one text value took 115 ms.
 */
const STATS_MEDIANS_SQL = (where: string) =>
  `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.first_admin_reply_at - c.created_at),
     percentile_cont(0.5) WITHIN GROUP (ORDER BY c.first_close_at - c.created_at)
   FROM conversations c WHERE ${where}`;

/**
 * The volume by the grain (insight-rows.ts) and the state, assignee and team seen together, in one
 * scan hashed both ways; a row of the volume has `of_volume` set. Counting in the engine
 * reads groups, not a row per conversation: a year of 100,000 read row by row took 400–500 ms
 * (docs/performance.md). As two statements, the volume and the groups took 20 and 60–100 ms; as
 * one, 45–65.
 */
const STATS_GROUPS_SQL = (where: string, grain: number) =>
  `SELECT c.state, c.admin_assignee_id, c.team_assignee_id, c.created_at / ${grain} * ${grain},
     count(*), GROUPING(c.state) = 1 AS of_volume
   FROM conversations c WHERE ${where}
   GROUP BY GROUPING SETS ((c.state, c.admin_assignee_id, c.team_assignee_id), (c.created_at / ${grain} * ${grain}))`;

type GroupRow = [string, string | null, string | null, number, number, boolean];

/**
 * The stats from three scans of the window: the medians and the groups on `db`, the tags beside
 * them on `beside` (the same snapshot), the largest of the three alone.
 */
export async function conversationStats(db: Db, beside: Db, q: StatsRequest): Promise<ConversationStats> {
  const params = new Params();
  const where = `${conditions(q.filters, params).sql} AND c.created_at >= ${params.add(q.from)} AND c.created_at < ${params.add(q.to)}`;
  const rows = <T extends unknown[]>(sql: string, on = db) => arrays<T>(on, sql, params.values);
  const [tags, [medians], counted] = await Promise.all([
    rows<[string, number]>(insight.STATS_TAGS_SQL(where), beside),
    rows<[number | null, number | null]>(STATS_MEDIANS_SQL(where)),
    rows<GroupRow>(STATS_GROUPS_SQL(where, insight.statsGrain(q.buckets))),
  ]);
  const groups: StatsGroups = {
    volume: counted.filter((r) => r[5]).map((r) => [r[3], r[4]]),
    groups: counted.filter((r) => !r[5]).map((r) => [r[0], r[1], r[2], r[4]]),
    medianFirstResponse: medians![0] === null ? null : Math.round(medians![0]),
    medianClose: medians![1] === null ? null : Math.round(medians![1]),
  };
  return tallyStats(groups, tags, await directoryNames(db), q.buckets);
}

/**
 * The first column of each row `read` builds, handed to `each` as the row arrives rather than
 * gathered into a result first (theme-tally.ts says why).
 */
async function eachValueOf(db: Db, read: (params: Params) => string, each: (value: string) => void) {
  const params = new Params();
  // rowMode is the driver's, though its types leave it out of a Query's config.
  const config = { text: read(params), values: params.values, rowMode: 'array' };
  const query = new pg.Query<[string]>(config as pg.QueryConfig);
  let failed: unknown;
  await new Promise<void>((resolve, reject) => {
    query.on('row', (row: [string]) => {
      if (failed === undefined)
        try {
          each(row[0]);
        } catch (e) {
          failed = e;
        }
    });
    query.on('end', () => (failed === undefined ? resolve() : reject(failed)));
    query.on('error', reject);
    void db.query(query);
  });
}

/** The first column of the one row `read` builds, its values taken as it builds it. */
async function valueOf(db: Db, read: (params: Params) => string): Promise<unknown> {
  const params = new Params();
  const text = read(params);
  return (await arrays<[unknown]>(db, text, params.values))[0]?.[0];
}

/**
 * One window's text is a single aggregate; split among parallel workers, each builds a part that
 * the leader then copies into one, which took twice as long as one process reading it all.
 */
const SERIAL = 'SET LOCAL max_parallel_workers_per_gather = 0';

/** Themes as theme-tally.ts plans them, one query at a time in the caller's read transaction. */
export async function conversationThemes(db: Db, q: ThemesRequest): Promise<ConversationThemes> {
  await db.query(SERIAL);
  const narrowed = insight.narrows(q.filters);
  const live = (p: Params, w: { from: number; to: number; below?: number }) =>
    `${conditions(q.filters, p).sql} AND ${insight.createdIn('c.created_at', w, (v) => p.add(v))}`;
  return runPlanAsync(themePlan(q), async (r) => {
    switch (r.read) {
      case 'count':
        return valueOf(db, (p) => insight.COUNT_SQL(live(p, r)));
      case 'window':
        return eachValueOf(
          db,
          (p) =>
            narrowed
              ? insight.FILTERED_THEME_WINDOW_SQL(live(p, r), p.add(r.parts))
              : insight.THEME_WINDOW_SQL(
                  insight.termsIn(r, (v) => p.add(v)),
                  p.add(r.parts),
                ),
          r.each,
        );
      case 'names':
        return arrays(db, 'SELECT hash, term FROM terms WHERE hash = ANY($1::bigint[])', [r.hashes]);
      case 'members':
        return valueOf(db, (p) => insight.THEME_MEMBERS_SQL(`= ANY(${p.add(r.rids)}::bigint[])`));
      case 'tickets':
        return valueOf(db, (p) =>
          insight.THEME_TICKETS_SQL(
            insight.ticketLevelsWhere({ ...r, filters: q.filters }, (v) => p.add(v)),
            p.add(r.limit),
          ),
        );
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
      : `${conditions(q.filters, params).sql} AND ${insight.createdIn('c.created_at', q, (v) => params.add(v))}`;
  await db.query(SERIAL);
  return runPlanAsync(levelsPlan(q), async (r) => {
    switch (r.read) {
      case 'count':
        return valueOf(db, (p) => insight.COUNT_SQL(where(p), kind.table));
      case 'window':
        return valueOf(db, (p) =>
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
