/**
 * Times in answers: ISO 8601 with the workspace zone's offset, in text and structured content
 * alike, so a model reads the same instant the same way everywhere; and the zone's calendar
 * arithmetic that answers and syncs share.
 */
import { DateTime } from 'luxon';

export type Clock = (epochSeconds: number) => string;

const iso = (t: number, zone: string) =>
  DateTime.fromSeconds(t, { zone }).toISO({ suppressMilliseconds: true })!;
/** The zone's offset at an instant, in seconds (NaN for a zone luxon does not know). */
const offsetAt = (t: number, zone: string) => DateTime.fromSeconds(t, { zone }).offset * 60;

/** From this instant on (to the next change, or the year's end), the zone is this far from UTC. */
interface Change {
  from: number;
  seconds: number;
}
const WEEK = 7 * 86_400;
/** Whole seconds from 1970 to 2100: where Date's ISO form and luxon's agree. */
const UNTIL = Date.UTC(2100, 0, 1) / 1000;

/**
 * A zone's offset changes within a UTC year: its offset probed weekly, and each change found to
 * the second by bisection (about 80 probes a zone-year, once). Two changes less than a week apart
 * that cancel out would be missed; no zone's rules have had one since 1970.
 */
function changesIn(year: number, zone: string): Change[] {
  const start = Date.UTC(year, 0, 1) / 1000;
  const end = Date.UTC(year + 1, 0, 1) / 1000;
  const changes: Change[] = [{ from: start, seconds: offsetAt(start, zone) }];
  const current = () => changes[changes.length - 1]!.seconds;
  let known = start;
  for (let probe = Math.min(start + WEEK, end); known < end; probe = Math.min(probe + WEEK, end)) {
    // The offset at `known` is current(); one that differs at `probe` changed in between.
    while (known < probe && offsetAt(probe, zone) !== current()) {
      let [lo, hi] = [known, probe];
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid, zone) === current()) lo = mid;
        else hi = mid;
      }
      // A change at the year's end is the next year's first offset.
      if (hi === end) break;
      changes.push({ from: hi, seconds: offsetAt(hi, zone) });
      known = hi;
    }
    known = probe;
  }
  return changes;
}

interface ZoneTimes {
  years: Map<number, Change[]>;
  /** luxon's offset suffix for each offset the zone has had: "Z" for UTC, "+02:00". */
  suffixes: Map<number, string>;
}
/** Kept for the process: a server answers in one zone, and tests in a few. */
const zones = new Map<string, ZoneTimes>();
const ZONES_KEPT = 64;

/**
 * Times are formatted from the zone's offset changes, found once a zone-year and kept: luxon asks
 * Intl for the offset of every instant (about 10 µs each), which a year of daily buckets or a page
 * of 200 hits pays hundreds of times.
 */
export function clockFor(zone: string): Clock {
  if (!DateTime.fromSeconds(0, { zone }).isValid) return (t) => iso(t, zone);
  let times = zones.get(zone);
  if (!times) {
    if (zones.size >= ZONES_KEPT) zones.clear();
    zones.set(zone, (times = { years: new Map(), suffixes: new Map() }));
  }
  const { years, suffixes } = times;
  return (t) => {
    if (!Number.isInteger(t) || t < 0 || t >= UNTIL) return iso(t, zone);
    const year = new Date(t * 1000).getUTCFullYear();
    let changes = years.get(year);
    if (!changes) years.set(year, (changes = changesIn(year, zone)));
    let seconds = changes[0]!.seconds;
    for (const c of changes) if (c.from <= t) seconds = c.seconds;
    let suffix = suffixes.get(seconds);
    if (suffix === undefined) suffixes.set(seconds, (suffix = iso(t, zone).slice(19)));
    return new Date((t + seconds) * 1000).toISOString().slice(0, 19) + suffix;
  };
}

/** Bucket starts from `from` up to `to`: the zone's midnights, Mondays or first days of months. */
export function bucketStarts(
  from: number,
  to: number,
  unit: 'day' | 'week' | 'month',
  zone: string,
): number[] {
  const starts = [from];
  let next = DateTime.fromSeconds(from, { zone })
    .startOf(unit)
    .plus({ [unit]: 1 });
  while (next.toSeconds() < to) {
    starts.push(next.toSeconds());
    next = next.plus({ [unit]: 1 });
  }
  return starts;
}

/**
 * N calendar days before `now` in the zone: the same wall-clock time N days earlier, which is not
 * N × 24 hours when a daylight-saving change lies between. "Last 90 days" in an answer and
 * `sync --days 90` both mean this, so a window just synced is covered by its own coverage.
 */
export function daysBefore(now: number, days: number, zone: string): number {
  return DateTime.fromSeconds(now, { zone }).minus({ days }).toSeconds();
}
