/**
 * Service levels from the rows the engines read, the same for both. A conversation's figures come
 * from Intercom's statistics as stored: the first teammate reply, the last close of one closed now,
 * and `count_reopens` (judged from the close times for a conversation stored before it was kept).
 * Intercom gives tickets no statistics, so a ticket's come from its parts, set on its row when it
 * is written (TICKET_FACTS_SQL): the first teammate comment, whether it was ever resolved or left
 * resolved again, the start of its last resolved stretch (its close, if resolved now). The API gives
 * a ticket's 500 latest parts: one with more has an unknown first response and reopens, counted apart.
 */
import { levelsBy, levelsOf, type LevelRow, type Levels } from '../insights/service-levels.js';
import { LineFields } from './line-fields.js';
import type { ReadPlan } from './read-plan.js';
import { sampleBound, scaled } from './sample.js';
import { bucketOf, groupName, type StatsNames } from './stats-tally.js';
import type { GroupLevels, LevelsRequest, ServiceLevels } from './types.js';

/** rid, created_at, first_admin_reply_at, first_close_at, last_close_at, state, reopens, admin, team, tags. */
export type ConversationLevelRow = [
  number,
  number,
  number | null,
  number | null,
  number | null,
  string,
  number | null,
  string | null,
  string | null,
  string[],
];

/**
 * The conversations of LEVELS_WINDOW_SQL's text: `rid created_at first_admin_reply_at
 * first_close_at last_close_at state reopens admin team tags` a line, empty fields null. The
 * fields are read in the order written, as a tuple's elements are evaluated: left to right.
 */
export const levelRows = (text: string): ConversationLevelRow[] =>
  LineFields.rows(text, (f) => [
    f.number()!,
    f.number()!,
    f.number(),
    f.number(),
    f.number(),
    f.string(),
    f.number(),
    f.string() || null,
    f.string() || null,
    ((tags) => (tags ? tags.split(',') : []))(f.string()),
  ]);

/**
 * rid, created_at, state_category, first_response_at, resolved_since, ever_resolved, reopened,
 * unknown, admin, team: a ticket's facts as TICKET_FACTS_SQL set them from its parts.
 */
export type TicketLevelRow = [
  number,
  number,
  string,
  number | null,
  number | null,
  boolean,
  boolean,
  boolean,
  string | null,
  string | null,
];

/** The tickets of TICKET_LEVELS_SQL's text, a line each. */
export const ticketLevelRows = (text: string): TicketLevelRow[] =>
  LineFields.rows(text, (f) => [
    f.number()!,
    f.number()!,
    f.string(),
    f.number(),
    f.number(),
    f.number() === 1,
    f.number() === 1,
    f.number() === 1,
    f.string() || null,
    f.string() || null,
  ]);

interface Row extends LevelRow {
  rid: number;
  admin: string | null;
  team: string | null;
}

function conversationRow(r: ConversationLevelRow): Row & { judged: boolean; tags: string[] } {
  const [rid, createdAt, replied, firstClose, lastClose, state, reopens, admin, team, tags] = r;
  const everClosed = firstClose !== null;
  return {
    rid,
    createdAt,
    firstResponseAt: replied,
    closedAt: state === 'closed' ? lastClose : null,
    everClosed,
    // Closed, then open now or closed again later: what a reopen leaves in the close times.
    reopened:
      reopens !== null
        ? reopens > 0
        : everClosed && (state !== 'closed' || (lastClose !== null && lastClose > firstClose)),
    admin,
    team,
    tags,
    judged: reopens === null,
  };
}

function ticketRow([
  rid,
  createdAt,
  state,
  responded,
  resolvedSince,
  everResolved,
  reopened,
  unknown,
  admin,
  team,
]: TicketLevelRow): Row {
  return {
    rid,
    createdAt,
    firstResponseAt: responded,
    closedAt: state === 'resolved' ? resolvedSince : null,
    everClosed: everResolved,
    reopened,
    unknown,
    admin,
    team,
  };
}

const GROUPS = 10;

function named(
  groups: { key: string | null; levels: GroupLevels['levels'] }[],
  names: Map<string, string | null>,
  none: string,
): GroupLevels[] {
  return groups
    .map(({ key, levels }) => ({ id: key, name: groupName(key, names, none), levels }))
    .sort((x, y) => y.levels.count - x.levels.count || x.name.localeCompare(y.name))
    .slice(0, GROUPS);
}

/** Levels with their counts scaled from what was read to the whole window; percentiles are kept. */
function scaleLevels(l: Levels, read: number, total: number): Levels {
  const s = (n: number) => scaled(n, read, total);
  return {
    ...l,
    count: s(l.count),
    firstResponse: { ...l.firstResponse, count: s(l.firstResponse.count) },
    timeToClose: { ...l.timeToClose, count: s(l.timeToClose.count) },
    reopened: s(l.reopened),
    everClosed: s(l.everClosed),
    unknown: s(l.unknown),
  };
}

/** Each group's levels and the trend by `buckets`, of `total` in the window (more than read when sampled). */
export function tallyLevels(
  buckets: LevelsRequest['buckets'],
  read:
    | { of: 'conversations'; rows: readonly ConversationLevelRow[] }
    | { of: 'tickets'; rows: readonly TicketLevelRow[] },
  names: StatsNames,
  total = read.rows.length,
): ServiceLevels {
  let rows: (Row & { tags?: string[] })[];
  let judgedReopens = 0;
  if (read.of === 'conversations') {
    rows = read.rows.map((r) => {
      const row = conversationRow(r);
      if (row.judged) judgedReopens++;
      return row;
    });
  } else rows = read.rows.map(ticketRow);

  const trend = buckets.map((): Row[] => []);
  for (const row of rows) trend[bucketOf(buckets, row.createdAt)]!.push(row);
  const n = rows.length;
  const scale = (l: Levels) => scaleLevels(l, n, total);
  const groups = (gs: GroupLevels[]) => gs.map((g) => ({ ...g, levels: scale(g.levels) }));
  return {
    overall: scale(levelsOf(rows)),
    byTeam: groups(
      named(
        levelsBy(rows, (r) => [r.team]),
        names.teams,
        'no team',
      ),
    ),
    byAssignee: groups(
      named(
        levelsBy(rows, (r) => [r.admin]),
        names.admins,
        'unassigned',
      ),
    ),
    byTag:
      read.of === 'conversations'
        ? groups(
            named(
              levelsBy(rows, (r) => (r.tags?.length ? r.tags : [null])),
              names.tags,
              'untagged',
            ),
          )
        : [],
    trend: trend.map((t) => scale(levelsOf(t))),
    judgedReopens: scaled(judgedReopens, n, total),
    read: n,
    total,
  };
}

export type LevelsRead = { read: 'count' } | { read: 'window'; below: number } | { read: 'directory' };

/**
 * The whole answer, as a read plan (read-plan.ts) both engines run: how many the window holds, then
 * the window as one text value (a sample past q.sample, sample.ts), then the directory's names.
 */
export function* levelsPlan(
  q: Pick<LevelsRequest, 'of' | 'buckets' | 'sample'>,
): ReadPlan<LevelsRead, ServiceLevels> {
  const total = (yield { read: 'count' }) as number;
  const text = ((yield { read: 'window', below: sampleBound(total, q.sample) }) as string | null) ?? '';
  const directory = (yield { read: 'directory' }) as StatsNames;
  return tallyLevels(
    q.buckets,
    q.of === 'tickets'
      ? { of: 'tickets', rows: ticketLevelRows(text) }
      : { of: 'conversations', rows: levelRows(text) },
    directory,
    total,
  );
}
