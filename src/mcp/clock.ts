/**
 * Times in answers: ISO 8601 with the workspace zone's offset, in text and structured content
 * alike, so a model reads the same instant the same way everywhere.
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
