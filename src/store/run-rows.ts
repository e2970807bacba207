/** A sync run as both engines store it (the same columns), and as the rest of the code reads it. */
import type { SyncRunSummary } from './types.js';

export interface RunRow {
  id: number;
  kind: string;
  started_at: number;
  finished_at: number | null;
  status: SyncRunSummary['status'];
  window_start: number | null;
  conversations: number;
  parts: number;
  api_calls: number;
  rate_limited: number;
  error: string | null;
}

export const toRun = (r: RunRow | undefined): SyncRunSummary | null =>
  r
    ? {
        id: r.id,
        kind: r.kind,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        status: r.status,
        windowStart: r.window_start,
        conversations: r.conversations,
        parts: r.parts,
        apiCalls: r.api_calls,
        rateLimited: r.rate_limited,
        error: r.error,
      }
    : null;
