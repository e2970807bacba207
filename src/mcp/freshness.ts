/**
 * How fresh an answer is: when the copy was last synced and whether the asked-about window lies
 * inside what the sync knows is complete. The server answers at once and says so; it never makes a
 * model wait on Intercom (a stale copy also nudges a background sync, see server.ts).
 */
import type { StoreStatus } from '../store/types.js';

export interface Freshness {
  last_sync_at: string | null;
  age_minutes: number | null;
  stale: boolean;
  window_covered: boolean | null;
  note: string;
}

export function freshness(
  status: StoreStatus,
  maxAgeMinutes: number,
  window?: { from: number; to: number },
): Freshness {
  const last = status.lastSuccessfulRun?.finishedAt ?? null;
  const now = Date.now() / 1000;
  const age = last === null ? null : Math.round((now - last) / 60);
  const stale = age === null || age > maxAgeMinutes;
  // Coverage ends when the last complete sync started; up to then, a window inside it is complete.
  const coveredUntil = Math.max(0, ...status.coverage.map((w) => w.to));
  const covered = window
    ? status.coverage.some((w) => w.from <= window.from && w.to >= Math.min(window.to, coveredUntil))
    : null;
  const notes: string[] = [];
  if (last === null) notes.push('The local copy has never been synced completely.');
  else
    notes.push(
      `Local copy synced ${age} min ago${stale ? ` (older than the ${maxAgeMinutes} min limit)` : ''}.`,
    );
  if (covered === false)
    notes.push('The requested timeframe is not fully covered by past syncs: results may be incomplete.');
  return {
    last_sync_at: last === null ? null : new Date(last * 1000).toISOString(),
    age_minutes: age,
    stale,
    window_covered: covered,
    note: notes.join(' '),
  };
}
