/**
 * Timeframes as people write them ("last 7 days", "yesterday", "this week", "since June 1",
 * "2024-06-01 to 2024-06-07"), in UTC, as [from, to) epoch seconds. Fixed phrases are read here;
 * everything else goes to chrono-node.
 */
import * as chrono from 'chrono-node';

export class TimeframeError extends Error {}

export interface Timeframe {
  from: number;
  to: number;
  label: string;
}

const DAY = 86400;
const startOfDay = (t: number) => Math.floor(t / DAY) * DAY;
const UNIT_SECONDS: Record<string, number> = { hour: 3600, day: DAY, week: 7 * DAY, month: 30 * DAY };

export function parseTimeframe(text: string, nowMs = Date.now()): Timeframe {
  const input = text.trim().toLowerCase();
  const now = Math.floor(nowMs / 1000);
  const today = startOfDay(now);
  const weekStart = today - ((new Date(today * 1000).getUTCDay() + 6) % 7) * DAY;
  const range = (from: number, to: number): Timeframe => ({
    from,
    to,
    label: `${new Date(from * 1000).toISOString().slice(0, 16)}Z → ${new Date(to * 1000).toISOString().slice(0, 16)}Z`,
  });
  const last = /^(?:last|past)\s+(\d+)?\s*(hour|day|week|month)s?$/.exec(input);
  if (last) return range(now - Number(last[1] ?? 1) * UNIT_SECONDS[last[2]!]!, now);
  switch (input) {
    case 'today':
      return range(today, now);
    case 'yesterday':
      return range(today - DAY, today);
    case 'this week':
      return range(weekStart, now);
    case 'last week':
      return range(weekStart - 7 * DAY, weekStart);
    case 'this month':
      return range(Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), 1) / 1000, now);
  }
  const since = /^since\s+(.+)$/.exec(input);
  const ref = new Date(nowMs);
  if (since) {
    const start = chrono.parseDate(since[1]!, ref, { forwardDate: false });
    if (!start) throw new TimeframeError(`Cannot read the date in "${text}"`);
    return range(Math.floor(start.getTime() / 1000), now);
  }
  const parsed = chrono.parse(text, ref)[0];
  if (!parsed) {
    throw new TimeframeError(
      `Cannot read "${text}" as a timeframe. Try "last 7 days", "yesterday", "this week", "since June 1" or "2024-06-01 to 2024-06-07".`,
    );
  }
  const from = Math.floor(parsed.start.date().getTime() / 1000);
  const to = parsed.end
    ? Math.floor(parsed.end.date().getTime() / 1000) + (parsed.end.isCertain('hour') ? 0 : DAY)
    : from + DAY;
  if (to <= from) throw new TimeframeError(`The timeframe "${text}" ends before it starts`);
  const fromDay = parsed.start.isCertain('hour') ? from : startOfDay(from);
  return range(fromDay, Math.min(to, now + DAY));
}
