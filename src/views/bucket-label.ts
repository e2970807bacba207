/**
 * A bucket's label: its date (its month, for months) and, when it does not start or end where its
 * day, week or month does, where it starts or ends. A window's first bucket starts when the window
 * does and its last ends when it does (now, mostly): the status page's week read "2026-11-29 1", a
 * quiet day to anyone looking, where the day held its last hour and a half, and a trend's first
 * week of "last 30 days" starts on any weekday and looked like a slow week.
 */

/** Whether a wall-clock time (ISO text in the workspace's zone) is where a bucket of this kind starts. */
function startsBucket(iso: string, bucket: string): boolean {
  const time = iso.slice(11, 16);
  if (time !== '' && time !== '00:00') return false;
  // Weeks start on Monday, as the trends' buckets do (ISO weeks).
  if (bucket === 'week') return new Date(`${iso.slice(0, 10)}T00:00:00Z`).getUTCDay() === 1;
  return bucket !== 'month' || iso.slice(8, 10) === '01';
}

const clock = (iso: string) => (iso.slice(11, 16) === '00:00' ? '' : iso.slice(11, 16));

/** Where a bucket starts or ends inside it: the time, when on the day it is labelled by; else the day too. */
const edge = (iso: string, bucket: string, day: string) =>
  bucket !== 'month' && iso.slice(0, 10) === day
    ? clock(iso)
    : [iso.slice(5, 10), clock(iso)].filter(Boolean).join(' ');

/** `end`: where the bucket ends, given for a window's last bucket, which may end early. */
export function bucketLabel(start: string, bucket: string, end?: string): string {
  const late = !startsBucket(start, bucket);
  const early = end !== undefined && !startsBucket(end, bucket);
  const day = start.slice(0, 10);
  const from = late ? edge(start, bucket, day) : '';
  const to = early ? edge(end, bucket, day) : '';
  return (
    (bucket === 'month' ? start.slice(0, 7) : start.slice(0, 10)) +
    (from ? ` from ${from}` : '') +
    (to ? ` to ${to}` : '') +
    (bucket === 'week' && (late || early) ? ' (part week)' : '')
  );
}

/** Each bucket's label, the last ending at `end` (the window's end). */
export const bucketLabels = (starts: string[], bucket: string, end: string | undefined): string[] =>
  starts.map((s, i) => bucketLabel(s, bucket, i === starts.length - 1 ? end : undefined));
