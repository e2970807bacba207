/**
 * Service levels from the rows the engines read, the same for both. A conversation's figures come
 * from Intercom's statistics as stored: the first teammate reply, the last close of one closed now,
 * and `count_reopens` (judged from the close times for a conversation stored before it was kept).
 * Intercom gives tickets no statistics, so a ticket's come from its parts: the first teammate
 * comment, the state each part left it in (a return to resolved after leaving it is a reopen, the
 * start of its last resolved stretch its close). The API gives a ticket's 500 latest parts: one
 * with more has an unknown first response and reopens, counted apart.
 */
import { levelsBy, levelsOf, type LevelRow, type Levels } from '../insights/service-levels.js';
import { LineFields } from './line-fields.js';
import { scaled } from './sample.js';
import { bucketOf, byRid, groupName, type StatsNames } from './stats-tally.js';
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
 * first_close_at last_close_at reopens state admin team tags` a line, empty fields null.
 */
export function levelRows(text: string): ConversationLevelRow[] {
  const rows: ConversationLevelRow[] = [];
  const f = new LineFields(text);
  while (!f.done) {
    const rid = f.number()!;
    const createdAt = f.number()!;
    const replied = f.number();
    const firstClose = f.number();
    const lastClose = f.number();
    const reopens = f.number();
    const state = f.string();
    const admin = f.string() || null;
    const team = f.string() || null;
    const tags = f.string();
    rows.push([
      rid,
      createdAt,
      replied,
      firstClose,
      lastClose,
      state,
      reopens,
      admin,
      team,
      tags ? tags.split(',') : [],
    ]);
  }
  return rows;
}

/** rid, created_at, state_category, admin, team, parts_total. */
export type TicketLevelRow = [number, number, string, string | null, string | null, number];
/** ticket_rid, created_at, part_type, author_type, state_category: a ticket's parts in order. */
export type TicketPartRow = [number, number, string, string, string | null];

/** The parts of TICKET_LEVEL_PARTS_SQL's text: `ticket_rid created_at part_type author_type state_category` a line. */
export function ticketPartRows(text: string): TicketPartRow[] {
  const rows: TicketPartRow[] = [];
  const f = new LineFields(text);
  while (!f.done) {
    const rid = f.number()!;
    const createdAt = f.number()!;
    const type = f.string();
    const author = f.string();
    rows.push([rid, createdAt, type, author, f.string() || null]);
  }
  return rows;
}

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

function ticketRows(tickets: readonly TicketLevelRow[], parts: readonly TicketPartRow[]): Row[] {
  const partsOf = byRid(parts);
  return tickets.map(([rid, createdAt, stateCategory, admin, team, partsTotal]) => {
    const own = partsOf.get(rid) ?? [];
    let firstResponseAt: number | null = null;
    let state = 'submitted';
    let resolvedSince: number | null = null;
    let everClosed = false;
    let reopened = false;
    for (const [, at, type, author, after] of own) {
      if (firstResponseAt === null && type === 'comment' && author === 'admin') firstResponseAt = at;
      if (after === null || after === state) continue;
      if (after === 'resolved') {
        resolvedSince = at;
        everClosed = true;
      } else if (state === 'resolved') reopened = true;
      state = after;
    }
    return {
      rid,
      createdAt,
      firstResponseAt,
      closedAt: stateCategory === 'resolved' ? resolvedSince : null,
      everClosed: everClosed || stateCategory === 'resolved',
      reopened,
      unknown: own.length < partsTotal,
      admin,
      team,
    };
  });
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
    | { of: 'tickets'; rows: readonly TicketLevelRow[]; parts: readonly TicketPartRow[] },
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
  } else rows = ticketRows(read.rows, read.parts);

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
