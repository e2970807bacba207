/**
 * The newest (or oldest) matches of a text search on PostgreSQL, at a cost that follows the page
 * rather than every match. GIN returns matches in no useful order, so the newest 1,000 of a common
 * word were found either by sorting every match (each a visit to its row) or by walking rows newest
 * first and reading each one's TOASTed vector, about 5 µs a row: 40–80 ms for "refund" at 100k.
 * The GIN index carries `updated_at` too (btree_gin, schema 15), so a search bounded to a window of
 * recent rows is answered inside the index: only the window's matches are read. The window is sized
 * from the planner's estimate of the matches, so that it holds the page with room to spare; a
 * window that falls short is followed by one twice as deep, and so on to the oldest row.
 */
import type { Db } from './connection.js';

export interface Match {
  rid: number;
  updated_at: number;
}

/**
 * Per-row costs behind the choice (µs, measured at 100k, docs/performance.md): a match read from
 * its row and sorted, and a row of a window (its place in the time index, where the window's edge
 * is found, and in the GIN index's time column).
 */
const MATCH_ROW_US = 2.5;
const WINDOW_ROW_US = 0.25;
/**
 * Up to this many matches (whether any conversation has a word, a first short page) are read as
 * the planner chooses: its walk newest first finds them within a few hundred rows of a common word,
 * while an estimate and a window's edge cost three more statements. The tool's hint for a query
 * that matched nothing asks this of each of up to 16 words.
 */
const SHORT_READ = 50;
/** How much deeper than the estimate says the window goes: estimates of a word's share are rough. */
const WINDOW_SLACK = 1.3;

/**
 * The depth of the first window, in live rows, for `need` matches out of an estimated `matches`
 * among `live` rows; undefined when reading every match costs less (a rare word, or a window that
 * would hold most of the table).
 */
export function windowRows(matches: number, live: number, need: number): number | undefined {
  if (need <= 0 || matches <= need) return undefined;
  const wanted = WINDOW_SLACK * need;
  const rows = Math.ceil((wanted * live) / matches);
  if (rows >= live) return undefined;
  return rows * WINDOW_ROW_US + wanted * MATCH_ROW_US < matches * MATCH_ROW_US ? rows : undefined;
}

async function estimatedRows(db: Db, where: string, values: unknown[]): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM conversations c WHERE ${where}`,
    values,
  );
  return rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'];
}

/**
 * The first `need` live conversations matching `where` (which tests the search vector), newest
 * first or, `ascending`, oldest first, ties by rid. `few`: the caller knows the matches are few
 * (a customer's conversations, by rid), so they are read whole without an estimate, which for a
 * list of 2,000 rids cost the planner 6 ms.
 */
export async function matchesInOrder(
  db: Db,
  where: string,
  values: unknown[],
  need: number,
  ascending: boolean,
  few = false,
): Promise<Match[]> {
  const order = ascending ? 'ASC' : 'DESC';
  const [older, inside] = ascending ? ['>', '<='] : ['<', '>='];
  const read = async (bounds: string[], extra: unknown[], limit: number) =>
    (
      await db.query<Match>(
        `SELECT c.rid, c.updated_at FROM conversations c WHERE ${[where, ...bounds].join(' AND ')}
         ORDER BY c.updated_at ${order}, c.rid ${order} LIMIT ${limit}`,
        [...values, ...extra],
      )
    ).rows;
  if (few || need <= SHORT_READ) return read([], [], need);
  const [matches, live] = await Promise.all([
    estimatedRows(db, where, values),
    estimatedRows(db, 'c.deleted_at IS NULL', []),
  ]);
  let depth = windowRows(matches, live, need);
  if (depth === undefined) return read([], [], need);
  const found: Match[] = [];
  let edge: number | undefined;
  const param = (k: number) => `$${values.length + k}`;
  while (found.length < need) {
    const past = edge === undefined ? [] : [edge];
    const from = edge === undefined ? '' : `AND updated_at ${older} $1`;
    // The updated_at `depth` live rows further on: the window's far edge, or none past the last row.
    const far = (
      await db.query<{ updated_at: number }>(
        `SELECT updated_at FROM conversations WHERE deleted_at IS NULL ${from}
         ORDER BY updated_at ${order} OFFSET ${depth} LIMIT 1`,
        past,
      )
    ).rows[0]?.updated_at;
    const bounds = [
      ...(edge === undefined ? [] : [`c.updated_at ${older} ${param(1)}`]),
      ...(far === undefined ? [] : [`c.updated_at ${inside} ${param(past.length + 1)}`]),
    ];
    found.push(...(await read(bounds, [...past, ...(far === undefined ? [] : [far])], need - found.length)));
    if (far === undefined) break;
    edge = far;
    depth *= 2;
  }
  return found;
}
