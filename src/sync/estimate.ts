/**
 * What a sync of a window will cost, said before anyone starts one: the API calls (one search call
 * per page of conversations it lists, one thread call per conversation the copy lacks, the count
 * and the reference lists) and the minutes at the pace the last sync measured, or else at Intercom's
 * default limit for an app. The conversations are estimated from the copy's own density of
 * conversations per covered day, so an estimate is only as good as that density; it is said as
 * "about".
 */
import { MAX_PER_PAGE } from '../intercom/client.js';
import type { SyncRunSummary } from '../store/types.js';
import { count } from '../wording.js';

/** The count and the three reference lists. */
const FIXED_CALLS = 4;
/** Intercom's default for a private app (calls a minute); a workspace may allow less. */
export const DEFAULT_CALLS_PER_MINUTE = 10_000;
/** A run this small says more about its latency than about its pace. */
const MIN_MEASURED_CALLS = 100;

export interface SyncEstimate {
  apiCalls: number;
  minutes: number;
  /** Whether the pace was measured on this copy's last sync rather than assumed. */
  measured: boolean;
}

/** Calls a minute of a finished run large enough to say, or undefined. */
export function measuredPace(run: SyncRunSummary | null): number | undefined {
  if (!run || run.finishedAt === null || run.apiCalls < MIN_MEASURED_CALLS) return undefined;
  const minutes = Math.max(run.finishedAt - run.startedAt, 1) / 60;
  return run.apiCalls / minutes;
}

export function estimateSync(listed: number, missing: number, pace: number | undefined): SyncEstimate {
  const apiCalls =
    Math.ceil(Math.max(listed, 1) / MAX_PER_PAGE) + Math.max(0, Math.round(missing)) + FIXED_CALLS;
  return {
    apiCalls,
    minutes: apiCalls / (pace ?? DEFAULT_CALLS_PER_MINUTE),
    measured: pace !== undefined,
  };
}

/** Two significant figures: "about 2,300", not "about 2,287". */
const roughly = (n: number) => {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1);
  return (Math.round(n / scale) * scale).toLocaleString('en-US');
};

export function describeEstimate(e: SyncEstimate): string {
  const time = e.minutes < 1 ? 'under a minute' : `about ${count(Math.ceil(e.minutes), 'minute')}`;
  const pace = e.measured ? "at the last sync's pace" : "at Intercom's default rate limit";
  return `about ${roughly(e.apiCalls)} API calls, ${time} ${pace}`;
}
