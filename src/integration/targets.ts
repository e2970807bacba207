/**
 * The procedures' performance targets, and how a figure is judged against one. A figure that
 * misses its target is a warning (PARTIAL: "performance below targets"); one that misses it by the
 * failure margin is "significantly below targets" and fails the run. The margins are ours: five
 * times the target for speed and latency, one and a half times for memory.
 */
import type { Mark } from './report.js';

export interface Target {
  direction: 'min' | 'max';
  target: number;
  failAt: number;
  unit: string;
}

export const TARGETS = {
  syncConversationsPerSecond: { direction: 'min', target: 10, failAt: 2, unit: ' conversations/second' },
  syncMessagesPerSecond: { direction: 'min', target: 50, failAt: 10, unit: ' messages/second' },
  apiCallsPerConversation: { direction: 'max', target: 1.2, failAt: 6, unit: ' per conversation' },
  rateLimited: { direction: 'max', target: 0, failAt: Number.POSITIVE_INFINITY, unit: ' × 429' },
  searchAverageMs: { direction: 'max', target: 100, failAt: 500, unit: 'ms' },
  getConversationAverageMs: { direction: 'max', target: 50, failAt: 250, unit: 'ms' },
  statusAverageMs: { direction: 'max', target: 10, failAt: 50, unit: 'ms' },
  toolP95Ms: { direction: 'max', target: 200, failAt: 1000, unit: 'ms' },
  // The procedures' two memory targets: <100 MB during sync operations, <150 MB at the peak.
  syncAverageRssMb: { direction: 'max', target: 100, failAt: 150, unit: 'MB' },
  syncPeakRssMb: { direction: 'max', target: 150, failAt: 225, unit: 'MB' },
} as const satisfies Record<string, Target>;

export function judge(t: Target, value: number | null): Mark {
  if (value === null) return 'info';
  const worse = (a: number, b: number) => (t.direction === 'min' ? a < b : a > b);
  if (worse(value, t.failAt)) return 'fail';
  return worse(value, t.target) ? 'warn' : 'pass';
}

/** "≤10ms"; a ceiling of zero reads "none", not "≤0 × 429". */
export const describeTarget = (t: Target) =>
  t.direction === 'max' && t.target === 0
    ? 'none'
    : `${t.direction === 'min' ? '≥' : '≤'}${t.target}${t.unit}`;
