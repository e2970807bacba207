/** What to do next, by what went wrong: the failure report's "Required Actions" and the warnings' advice. */
import { explainFailure } from '../sync/failures.js';
import type { Advice } from './report.js';

export function requiredActions(e: unknown, baseUrl: string): Advice {
  return { heading: 'Required Actions', actions: explainFailure(e, baseUrl).actions };
}

export const PERFORMANCE_ADVICE: Advice = {
  heading: 'Recommended Actions',
  actions: [
    'Check network latency to the Intercom API (API Connection → Response Time)',
    "Verify the database isn't on slow storage",
    'Check the rate-limit headers: another app sharing the limit slows the sync',
    'Monitor for background processes affecting performance (./scripts/monitor_memory_usage.sh)',
  ],
};

export const INTEGRITY_ADVICE: Advice = {
  heading: 'Investigation Required',
  actions: [
    'Check Intercom API pagination handling (sync/updated-at-pager.ts)',
    'Verify message retrieval logic (sync/engine.ts)',
    'Review customer data mapping (sync/mapping.ts)',
  ],
};
