/**
 * Whether the copy can be trusted, said with every answer. A model that reads "0 conversations"
 * from a copy whose syncs fail would report a quiet week; so every answer's first line names what
 * is wrong and the fix, its structured content carries `health`, and an empty answer from a copy
 * that cannot be trusted is an error rather than zero results.
 *
 * The thresholds: the copy is overdue when its last complete sync is older than twice the
 * background interval plus the freshness limit (25 minutes with the defaults: two scheduled runs
 * missed), or, with scheduled syncs off, three times the freshness limit; it cannot be trusted
 * when it was never synced, its last sync failed, or it is overdue.
 */
import type { SyncRunSummary } from '../store/types.js';
import { PRODUCT } from '../wording.js';

export interface HealthInput {
  lastRun: SyncRunSummary | null;
  lastSuccessfulRun: SyncRunSummary | null;
  /** Why this server cannot sync at all (no token, a read-only copy), if it cannot. */
  cannotSync: string | undefined;
  /** The last failure as this server explained it (with its fix), when it ran the failed sync. */
  explainedFailure: string | undefined;
  maxSyncAgeMinutes: number;
  backgroundSyncIntervalMinutes: number;
  now: number;
}

export interface Health {
  ok: boolean;
  /** True when an empty answer may be empty because of the problems, not because nothing matches. */
  untrusted: boolean;
  problems: string[];
}

export function overdueAfterMinutes(maxSyncAgeMinutes: number, intervalMinutes: number): number {
  return intervalMinutes > 0 ? 2 * intervalMinutes + maxSyncAgeMinutes : 3 * maxSyncAgeMinutes;
}

function ageInWords(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} hours`;
  return `${Math.round(minutes / 1440)} days`;
}

export function assessHealth(h: HealthInput): Health {
  const problems: string[] = [];
  let untrusted = false;
  const last = h.lastSuccessfulRun?.finishedAt ?? null;
  const age = last === null ? null : Math.max(0, Math.round((h.now - last) / 60));
  if (h.lastRun?.status === 'failed') {
    untrusted = true;
    const why = h.explainedFailure ?? h.lastRun.error ?? 'no reason was recorded';
    problems.push(
      `The last sync failed: ${why.replace(/\.?$/, '.')}${age !== null ? ` The copy is ${ageInWords(age)} old.` : ''}`,
    );
  }
  if (last === null) {
    untrusted = true;
    problems.push('The copy has never been synced completely, so answers may miss anything.');
  } else if (age! > overdueAfterMinutes(h.maxSyncAgeMinutes, h.backgroundSyncIntervalMinutes)) {
    untrusted = true;
    if (h.lastRun?.status !== 'failed')
      problems.push(`The copy is ${ageInWords(age!)} old, older than its syncs should let it be.`);
  }
  if (h.cannotSync) problems.push(h.cannotSync);
  return { ok: problems.length === 0, untrusted, problems };
}

/** The first line of an answer from a copy with problems: what is wrong, and where to start fixing it. */
export function healthLine(health: Health, invocation = PRODUCT): string | undefined {
  if (health.ok) return undefined;
  return `Warning: ${health.problems.join(' ')} Run \`${invocation} doctor\` to see why.`;
}
