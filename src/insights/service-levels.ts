/**
 * Service levels from the copy's timestamps: time to first response, time to close, and the share
 * of closed work reopened, as p50 / p90 with the counts behind them, for each group asked for (a
 * team, an assignee, a tag). Percentiles are nearest-rank: each is a time some conversation really
 * took, never an average of two.
 */

/** One conversation or ticket, as the levels need it. Times are seconds since the epoch. */
export interface LevelRow {
  createdAt: number;
  /** The first reply by a teammate (not a bot or a note); null while none came. */
  firstResponseAt: number | null;
  /** When it was last closed, if it is closed now. */
  closedAt: number | null;
  /** Whether it was ever closed. */
  everClosed: boolean;
  /** Whether it was opened again after a close. */
  reopened: boolean;
  /**
   * Its first response and reopens cannot be known (a ticket whose earliest parts the copy lacks):
   * it counts, and its time to close does, but not in those two figures.
   */
  unknown?: boolean;
}

export interface Percentiles {
  /** How many times there were: the answered, or the closed. */
  count: number;
  /** Seconds; null when count is 0. */
  p50: number | null;
  p90: number | null;
}

export interface Levels {
  /** Conversations or tickets in the group. */
  count: number;
  firstResponse: Percentiles;
  timeToClose: Percentiles;
  /** Reopened over ever closed; null when none was closed. */
  reopenRate: number | null;
  reopened: number;
  everClosed: number;
  /** How many count without a known first response or reopens (LevelRow.unknown). */
  unknown: number;
}

/** The nearest-rank percentile `p` (0–100) of values already sorted ascending; 0 for none. */
const ranked = (sorted: ArrayLike<number>, p: number): number =>
  sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** The nearest-rank percentile `p` (0–100) of `values`; 0 for none. */
export const percentile = (values: number[], p: number): number =>
  ranked(
    [...values].sort((a, b) => a - b),
    p,
  );

/** Sorted once for both percentiles: every group of a service-levels answer comes through here. */
function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: null, p90: null };
  // A typed array sorts numbers without a comparator call per step: several times faster.
  const sorted = Float64Array.from(values).sort();
  return { count: values.length, p50: ranked(sorted, 50), p90: ranked(sorted, 90) };
}

/** The levels of one set of rows. */
export function levelsOf(rows: readonly LevelRow[]): Levels {
  const responses: number[] = [];
  const closes: number[] = [];
  let everClosed = 0;
  let reopened = 0;
  let unknown = 0;
  for (const r of rows) {
    if (r.closedAt !== null) closes.push(Math.max(0, r.closedAt - r.createdAt));
    if (r.unknown) {
      unknown++;
      continue;
    }
    // A clock skewed between Intercom's servers can stamp a reply before the creation: it counts as 0.
    if (r.firstResponseAt !== null) responses.push(Math.max(0, r.firstResponseAt - r.createdAt));
    if (r.everClosed) everClosed++;
    if (r.reopened) reopened++;
  }
  return {
    count: rows.length,
    firstResponse: percentiles(responses),
    timeToClose: percentiles(closes),
    reopenRate: everClosed > 0 ? reopened / everClosed : null,
    reopened,
    everClosed,
    unknown,
  };
}

/**
 * The levels of each group: `groupsOf` names the groups a row is in (a conversation is in each of
 * its tags; one with none is in the null group). Groups come largest first, then by key.
 */
export function levelsBy<R extends LevelRow>(
  rows: readonly R[],
  groupsOf: (row: R) => readonly (string | null)[],
): { key: string | null; levels: Levels }[] {
  const groups = new Map<string | null, R[]>();
  for (const row of rows)
    for (const key of groupsOf(row)) {
      const members = groups.get(key);
      if (members) members.push(row);
      else groups.set(key, [row]);
    }
  return [...groups]
    .map(([key, members]) => ({ key, levels: levelsOf(members) }))
    .sort((a, b) => b.levels.count - a.levels.count || String(a.key).localeCompare(String(b.key)));
}
