/**
 * How fresh an answer is: when the copy was last synced and whether the asked-about window lies
 * inside what the sync knows is complete, and if only partly, from when. The server answers at
 * once and says so; it never makes a model wait on Intercom.
 */
import type { StoreStatus } from '../store/types.js';
import { coveredFrom } from '../sync/coverage.js';
import { describeEstimate, estimateSync, measuredPace } from '../sync/estimate.js';
import type { Clock } from '../time/clock.js';

export interface Freshness {
  last_sync_at: string | null;
  age_minutes: number | null;
  stale: boolean;
  window_covered: boolean | null;
  /** When the window is only partly covered: the start of the covered stretch that reaches its end. */
  covered_from: string | null;
  note: string;
}

/**
 * What `sync_conversations {since: from}` would cost: it lists every conversation updated since
 * `from` and reads the thread of each one the copy lacks, those of [from, filledFrom). Conversations
 * are counted at the copy's density over the days it covers; without coverage there is none to go by.
 */
function fillCost(status: StoreStatus, from: number, filledFrom: number, now: number): string {
  const coveredSeconds = status.coverage.reduce((n, w) => n + Math.max(0, w.to - w.from), 0);
  if (coveredSeconds <= 0) return '';
  const perSecond = status.conversations / Math.max(coveredSeconds, 86400);
  const estimate = estimateSync(
    perSecond * Math.max(0, now - from),
    perSecond * Math.max(0, filledFrom - from),
    measuredPace(status.lastSuccessfulRun),
  );
  return ` (${describeEstimate(estimate)})`;
}

export function freshness(
  status: StoreStatus,
  maxAgeMinutes: number,
  clock: Clock,
  window?: { from: number; to: number },
  now = Date.now() / 1000,
): Freshness {
  const last = status.lastSuccessfulRun?.finishedAt ?? null;
  const age = last === null ? null : Math.round((now - last) / 60);
  const stale = age === null || age > maxAgeMinutes;
  // Coverage ends when the last complete sync started; up to then, a window inside it is complete.
  const coveredUntil = Math.max(0, ...status.coverage.map((w) => w.to));
  const start = window ? coveredFrom(status.coverage, Math.min(window.to, coveredUntil)) : undefined;
  const covered = window ? start !== undefined && start <= window.from : null;
  const notes: string[] = [];
  if (last === null) notes.push('The local copy has never been synced completely.');
  else
    notes.push(
      `Local copy synced ${age} min ago${stale ? ` (older than the ${maxAgeMinutes} min limit)` : ''}.`,
    );
  // The `since` that fills the gap: the window's start, which a sync reads up to now.
  const fill =
    window && covered === false
      ? `sync_conversations {since: "${clock(window.from)}"} fetches it` +
        fillCost(status, window.from, coveredFrom(status.coverage, coveredUntil) ?? now, now)
      : '';
  if (covered === true) notes.push('The copy covers this timeframe completely.');
  if (covered === false)
    notes.push(
      start !== undefined
        ? `The copy covers this timeframe only from ${clock(start)}: earlier conversations may be missing; ${fill}.`
        : `This timeframe was never synced, so results may be incomplete: ${fill}.`,
    );
  return {
    last_sync_at: last === null ? null : clock(last),
    age_minutes: age,
    stale,
    window_covered: covered,
    covered_from: covered === false && start !== undefined ? clock(start) : null,
    note: notes.join(' '),
  };
}
