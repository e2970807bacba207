/**
 * A bucket's label: its date (its month, for months) and, when it does not start where its day,
 * week or month does, where it starts. A window's first bucket starts when the window does: the
 * status page's week read "2026-11-29 1", a quiet day to anyone looking, where the day held its
 * last hour and a half; a trend's first week of "last 30 days" starts on any weekday and looked
 * like a slow week.
 */
export function bucketLabel(start: string, bucket: string): string {
  const date = start.slice(0, 10);
  const time = start.slice(11, 16);
  const from = time === '00:00' || time === '' ? '' : time;
  if (bucket === 'month') {
    const day = start.slice(8, 10);
    return day === '01' && !from
      ? start.slice(0, 7)
      : `${start.slice(0, 7)} from ${start.slice(5, 10)}${from ? ` ${from}` : ''}`;
  }
  const label = from ? `${date} from ${from}` : date;
  // Weeks start on Monday, as the trend's buckets do (ISO weeks, in the workspace's zone).
  const monday = new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
  return bucket === 'week' && (from || !monday) ? `${label} (part week)` : label;
}
