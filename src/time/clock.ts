/**
 * Times in answers: ISO 8601 with the workspace zone's offset, in text and structured content
 * alike, so a model reads the same instant the same way everywhere; and the zone's calendar
 * arithmetic that answers and syncs share.
 */
import { DateTime } from 'luxon';

export type Clock = (epochSeconds: number) => string;

export function clockFor(zone: string): Clock {
  return (t) => DateTime.fromSeconds(t, { zone }).toISO({ suppressMilliseconds: true })!;
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
