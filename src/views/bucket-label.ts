/**
 * A volume bucket's label: its date (its month, for months) and, when it does not start where its
 * day (or month) does, where it starts. A window's first bucket starts when the window does: the
 * status page's week read "2026-11-29 1", a quiet day to anyone looking, where the day held its
 * last hour and a half.
 */
export function bucketLabel(start: string, bucket: string): string {
  const time = start.slice(11, 16);
  const from = time === '00:00' || time === '' ? '' : time;
  if (bucket !== 'month') return from ? `${start.slice(0, 10)} from ${from}` : start.slice(0, 10);
  const day = start.slice(8, 10);
  return day === '01' && !from
    ? start.slice(0, 7)
    : `${start.slice(0, 7)} from ${start.slice(5, 10)}${from ? ` ${from}` : ''}`;
}
