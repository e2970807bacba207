/**
 * Kinds of record a run reads whole on their own schedule, apart from the conversations' coverage
 * (the Help Center, companies): how fresh each is, whether the token may read it at all, and
 * "nothing found" refused from a copy that never read it.
 */
import { ToolInputError } from './tool-result.js';
import type { Answering, McpDeps } from './deps.js';
import type { Freshness } from './freshness.js';

export interface PolledKind {
  /** As a sentence names it: "the Help Center", "companies". */
  name: string;
  /** What a copy that cannot read it still holds: "articles", "companies". */
  records: string;
  /** "has" or "have", as its name takes. */
  has: 'has' | 'have';
  permission: string;
  checkedKey: string;
  forbiddenKey: string;
  /** How often a run reads it: a copy kept current is at most this much older than its syncs. */
  intervalSeconds: number;
}

export interface PolledState {
  kind: PolledKind;
  freshness: Freshness;
  /** Why the token may not read it, when Intercom refused it. */
  forbidden: string | undefined;
  /** Whether a run ever read it. */
  checked: boolean;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Stale once its last read is older than the freshness limit plus its interval, the longest a
 * copy kept current by its syncs may be.
 */
export async function polledState(deps: McpDeps, a: Answering, kind: PolledKind): Promise<PolledState> {
  const [checkedAt, forbidden] = await Promise.all([
    deps.store.getMeta(kind.checkedKey),
    deps.store.getMeta(kind.forbiddenKey),
  ]);
  const checked = checkedAt ? Number(checkedAt) : undefined;
  const age = checked === undefined ? null : Math.max(0, Math.round((Date.now() / 1000 - checked) / 60));
  const limit = deps.maxSyncAgeMinutes + kind.intervalSeconds / 60;
  const stale = age === null || age > limit;
  if (stale) deps.nudgeSync();
  const notes = [
    age === null
      ? `${capital(kind.name)} ${kind.has} never been synced.`
      : `${capital(kind.name)} checked ${age} min ago${stale ? ` (older than the ${limit} min limit)` : ''}.`,
  ];
  if (forbidden)
    notes.push(
      `The access token may not read ${kind.name} (${forbidden}): ${kind.records} stored before are all there is.`,
    );
  return {
    kind,
    freshness: {
      last_sync_at: checked === undefined ? null : a.clock(checked),
      age_minutes: age,
      stale,
      window_covered: null,
      covered_from: null,
      note: notes.join(' '),
    },
    forbidden: forbidden || undefined,
    checked: checked !== undefined,
  };
}

/**
 * Nothing found is only an answer from a kind the copy has read: never read, or refused to this
 * token, it is an error that says which.
 */
export function refuseUnread(state: PolledState, what: string): void {
  const { kind } = state;
  if (state.forbidden)
    throw new ToolInputError(
      `${what}: the access token may not read ${kind.name} (${state.forbidden}). Give it the "${kind.permission}" permission, then sync.`,
    );
  if (!state.checked)
    throw new ToolInputError(
      `${what}: ${kind.name} ${kind.has} not been synced yet. Run sync_conversations, then ask again.`,
    );
}
