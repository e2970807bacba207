/**
 * A moment in the future as people write it ("tomorrow 9am", "in 2 hours", "monday",
 * "2026-12-24 17:00", an ISO time with its offset), for a snooze. A time stated with its offset, or
 * relative to now, is that instant; a wall-clock time is read in the workspace's zone, and a day
 * without a time of day means its start of work, 09:00 there.
 */
import * as chrono from 'chrono-node/en';
import { DateTime } from 'luxon';
import { quote } from '../wording.js';
import { TimeframeError } from './timeframe.js';

export const MAX_MOMENT_CHARS = 100;
/** A snooze longer than this is more likely a mistake than a plan. */
const MAX_AHEAD_DAYS = 366;

export function parseMoment(text: string, zone: string, nowMs = Date.now()): number {
  const phrase = text.trim();
  if (!phrase || phrase.length > MAX_MOMENT_CHARS)
    throw new TimeframeError(`A time must be 1–${MAX_MOMENT_CHARS} characters, such as "tomorrow 9am"`);
  const found = chrono.parse(phrase, new Date(nowMs), { forwardDate: true })[0];
  if (!found || found.text.trim() !== phrase)
    throw new TimeframeError(
      `Cannot read ${quote(phrase)} as a time: write it as "tomorrow 9am", "in 2 hours", "monday" or "2026-12-24 17:00"`,
    );
  const s = found.start;
  // chrono marks the offset certain for an offset written out and for a time relative to now.
  const relative = s.isCertain('timezoneOffset');
  const at = relative
    ? Math.floor(s.date().getTime() / 1000)
    : DateTime.fromObject(
        {
          year: s.get('year')!,
          month: s.get('month')!,
          day: s.get('day')!,
          hour: s.isCertain('hour') ? s.get('hour')! : 9,
          minute: s.isCertain('hour') ? (s.get('minute') ?? 0) : 0,
        },
        { zone },
      ).toSeconds();
  const now = nowMs / 1000;
  if (at <= now) throw new TimeframeError(`${quote(phrase)} is not in the future`);
  if (at > now + MAX_AHEAD_DAYS * 86400)
    throw new TimeframeError(`${quote(phrase)} is more than a year ahead`);
  return Math.floor(at);
}
