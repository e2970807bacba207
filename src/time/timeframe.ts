/**
 * Timeframes as people write them, read in the workspace's time zone as calendar periods: a date
 * is that whole day, "November" the whole month, "last week" the previous Monday–Sunday, "A to B"
 * includes all of B, "since D" starts at D's midnight; "last 7 days" and "past 2 weeks" are rolling.
 * A window is [from, to) in epoch seconds, ending at the latest now. Fixed phrases are read here;
 * single dates ("June 1", "2026-11-20", "last monday") go to chrono-node for their parts, which are
 * then placed in the zone with Luxon, so the day boundaries are the zone's, across DST changes.
 * Every step is linear in the input, which is also bounded, so no phrase can hold the server.
 */
import * as chrono from 'chrono-node/en';
import { DateTime, type DateTimeUnit } from 'luxon';
import { quote } from '../wording.js';

export class TimeframeError extends Error {}

export const MAX_TIMEFRAME_CHARS = 200;

export interface Timeframe {
  /** The phrase as given (trimmed), for echoing. */
  phrase: string;
  from: number;
  to: number;
  zone: string;
}

/** A period before it meets "now": [start, end) and whether the year was stated. */
interface Period {
  start: DateTime;
  end: DateTime;
  yearGiven: boolean;
}

const MONTHS = 'january february march april may june july august september october november december'.split(
  ' ',
);
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};
const UNITS: Record<string, DateTimeUnit> = {
  minute: 'minute',
  min: 'minute',
  hour: 'hour',
  hr: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};
const EXAMPLES =
  'Try "today", "yesterday", "last 7 days", "last week", "last month", "this quarter", "November", "Q3 2026", ' +
  '"since June 1" or "2026-11-01 to 2026-11-15".';

const calendar = (start: DateTime, unit: DateTimeUnit, yearGiven = true): Period => ({
  start: start.startOf(unit),
  end: start.startOf(unit).plus({ [unit]: 1 }),
  yearGiven,
});

/** The most recent period of this kind that does not start in the future, unless a year was given. */
function notInFuture(p: Period, now: DateTime, step: DateTimeUnit): Period {
  if (p.yearGiven || p.start <= now) return p;
  return { ...p, start: p.start.minus({ [step]: 1 }), end: p.end.minus({ [step]: 1 }) };
}

function namedPeriod(input: string, now: DateTime): Period | undefined {
  const m = /^(this|current|last|previous|prior|next)\s+(week|month|quarter|year|weekend)$/.exec(input);
  const key = m
    ? `${m[1] === 'current' ? 'this' : m[1] === 'previous' || m[1] === 'prior' ? 'last' : m[1]} ${m[2]}`
    : input;
  switch (key) {
    case 'today':
      return calendar(now, 'day');
    case 'yesterday':
      return calendar(now.minus({ days: 1 }), 'day');
    case 'this weekend':
    case 'last weekend':
    case 'next weekend': {
      // Saturday 00:00 to Monday 00:00 of this ISO week; "last" is the one before.
      const weeks = key === 'last weekend' ? -1 : key === 'next weekend' ? 1 : 0;
      const saturday = now.startOf('week').plus({ days: 5, weeks });
      return { start: saturday, end: saturday.plus({ days: 2 }), yearGiven: true };
    }
  }
  if (!m) return undefined;
  const unit = m[2] as DateTimeUnit;
  if (key.startsWith('this')) return calendar(now, unit);
  if (key.startsWith('last')) return calendar(now.minus({ [unit]: 1 }), unit);
  return calendar(now.plus({ [unit]: 1 }), unit);
}

/** 1-12 for a month's name or its abbreviation of three letters or more, else 0. */
function monthIndex(word: string): number {
  return word.length >= 3 ? MONTHS.findIndex((name) => name.startsWith(word)) + 1 : 0;
}

/** One expression that names a period: a year, a quarter, a month, a day (or a moment). */
function period(input: string, now: DateTime, zone: string): Period | undefined {
  const named = namedPeriod(input, now);
  if (named) return named;
  if (/^\d{4}$/.test(input)) return calendar(DateTime.fromObject({ year: Number(input) }, { zone }), 'year');
  const quarter = /^(?:q([1-4])(?:\s+(\d{4}))?|(\d{4})\s*q([1-4]))$/.exec(input);
  if (quarter) {
    const q = Number(quarter[1] ?? quarter[4]);
    const year = quarter[2] ?? quarter[3];
    const start = DateTime.fromObject({ year: year ? Number(year) : now.year, month: 3 * q - 2 }, { zone });
    return notInFuture(calendar(start, 'quarter', year !== undefined), now, 'year');
  }
  const month = /^([a-z]+)\.?,?(?:\s+(\d{4}))?$/.exec(input);
  if (month && monthIndex(month[1]!) > 0) {
    const start = DateTime.fromObject(
      { year: month[2] ? Number(month[2]) : now.year, month: monthIndex(month[1]!) },
      { zone },
    );
    return notInFuture(calendar(start, 'month', month[2] !== undefined), now, 'year');
  }
  const isoMonth = /^(\d{4})-(\d{2})$/.exec(input);
  if (isoMonth) {
    const start = DateTime.fromObject({ year: Number(isoMonth[1]), month: Number(isoMonth[2]) }, { zone });
    return start.isValid ? calendar(start, 'month') : undefined;
  }
  return chronoPeriod(input, now, zone);
}

/** A single date read by chrono: its parts, placed in the zone. */
function chronoPeriod(input: string, now: DateTime, zone: string): Period | undefined {
  // chrono reads the reference's local wall clock: give it the zone's wall clock as local time.
  const ref = new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
  const found = chrono.parse(input, ref, { forwardDate: false })[0];
  if (!found || found.index !== 0 || found.text.length < input.length || found.end) return undefined;
  const s = found.start;
  const day = DateTime.fromObject(
    { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! },
    { zone },
  );
  if (!day.isValid) return undefined;
  const yearGiven = s.isCertain('year');
  const dayPeriod = calendar(day, 'day', yearGiven);
  const shifted =
    !s.isCertain('day') && s.isCertain('weekday') && dayPeriod.start > now
      ? { ...dayPeriod, start: dayPeriod.start.minus({ weeks: 1 }), end: dayPeriod.end.minus({ weeks: 1 }) }
      : s.isCertain('month')
        ? notInFuture(dayPeriod, now, 'year')
        : dayPeriod;
  if (!s.isCertain('hour')) return shifted;
  const moment = shifted.start.set({ hour: s.get('hour')!, minute: s.get('minute') ?? 0 });
  return { start: moment, end: shifted.end, yearGiven };
}

function rolling(input: string, now: DateTime): DateTime | undefined {
  const m = /^(?:the\s+)?(?:last|past|previous)\s+(\d+|[a-z]+)\s+([a-z]+?)s?$/.exec(input);
  const p = /^(?:the\s+)?past\s+([a-z]+?)s?$/.exec(input);
  const count = m ? (/^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!]) : p ? 1 : undefined;
  const unit = UNITS[(m ? m[2] : p?.[1]) ?? ''];
  if (count === undefined || unit === undefined) return undefined;
  if (!Number.isSafeInteger(count) || count < 1)
    throw new TimeframeError(`${quote(input)}: the count must be at least 1`);
  const from = count > 1_000_000 ? undefined : now.minus({ [unit]: count });
  if (!from?.isValid || from.toSeconds() < 0)
    throw new TimeframeError(`${quote(input)} reaches back before 1970; nothing synced is that old`);
  return from;
}

const RANGE = /^(?:from\s+|between\s+)?(.+?)\s+(?:to|until|till|through|thru|and|-|–|—)\s+(.+)$/;

/** Reads a timeframe in `zone` (an IANA name) relative to `nowMs`. */
export function parseTimeframe(text: string, zone: string, nowMs = Date.now()): Timeframe {
  if (text.length > MAX_TIMEFRAME_CHARS)
    throw new TimeframeError(
      `The timeframe is ${text.length} characters long; at most ${MAX_TIMEFRAME_CHARS} are read. ${EXAMPLES}`,
    );
  const phrase = text.trim();
  const input = phrase
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!?]+$/, '');
  if (!input) throw new TimeframeError(`The timeframe is empty. ${EXAMPLES}`);
  const now = DateTime.fromMillis(nowMs, { zone });
  const window = (from: DateTime, to: DateTime): Timeframe => {
    if (from.toSeconds() < 0)
      throw new TimeframeError(`${quote(phrase)} reaches back before 1970; nothing synced is that old`);
    if (from >= now)
      throw new TimeframeError(
        `${quote(phrase)} lies wholly in the future (it starts ${from.toISO({ suppressMilliseconds: true })}); the copy holds only what has happened`,
      );
    if (to <= from)
      throw new TimeframeError(`${quote(phrase)} ends before it starts: give the earlier date first`);
    return {
      phrase,
      from: Math.floor(from.toSeconds()),
      to: Math.ceil(Math.min(to.toSeconds(), now.toSeconds())),
      zone,
    };
  };

  const from = rolling(input, now);
  if (from) return window(from, now);

  const since = /^(?:since|from|after)\s+(.+)$/.exec(input);
  if (since) {
    const p = period(since[1]!, now, zone);
    if (p) return window(p.start, now);
  }

  const whole = period(input, now, zone);
  if (whole) return window(whole.start, whole.end);

  const range = RANGE.exec(input);
  if (range) {
    const a = period(range[1]!, now, zone);
    let b = period(range[2]!, now, zone);
    if (a && b) {
      // "Nov 1 to Nov 15 2025": the year said once holds for both ends.
      if (a.yearGiven && !b.yearGiven && b.start.year !== a.start.year) {
        const years = a.start.year - b.start.year;
        b = { ...b, start: b.start.plus({ years }), end: b.end.plus({ years }) };
      }
      const start =
        !a.yearGiven && b.yearGiven && a.start.year !== b.start.year
          ? a.start.plus({ years: b.start.year - a.start.year })
          : a.start;
      if (b.start < start)
        throw new TimeframeError(`${quote(phrase)} ends before it starts: give the earlier date first`);
      return window(start, b.end);
    }
  }
  throw new TimeframeError(`Cannot read ${quote(phrase)} as a timeframe. ${EXAMPLES}`);
}

/** The window as answers echo it: the phrase, both ends in ISO 8601 with the zone's offset, the zone. */
export function describeTimeframe(tf: Timeframe): { phrase: string; from: string; to: string; zone: string } {
  const at = (t: number) => DateTime.fromSeconds(t, { zone: tf.zone }).toISO({ suppressMilliseconds: true })!;
  return { phrase: tf.phrase, from: at(tf.from), to: at(tf.to), zone: tf.zone };
}
