/**
 * What every tool handler receives: the store, the sync controller, the log and the settings that
 * shape answers, plus the helpers each answer needs (the workspace's zone and clock, freshness,
 * inbox links, the background-sync nudge).
 */
import type { WriteDesk } from '../actions/write-desk.js';
import type { Logger } from '../config/logger.js';
import type { PersonalDataKind } from '../personal-data.js';
import type { Store, StoreStatus } from '../store/types.js';
import { WORKSPACE_APP_ID_KEY } from '../sync/reference-data.js';
import { clockFor, type Clock } from '../time/clock.js';
import { freshness, type Freshness } from './freshness.js';
import { assessHealth, type Health } from './health.js';
import { inboxUrl } from './ids.js';
import type { SyncController } from '../sync/controller.js';
import { parseTimeframe, type Timeframe } from '../time/timeframe.js';
import { storedZone } from '../time/zone.js';

export interface McpDeps {
  store: Store;
  sync: SyncController;
  logger: Logger;
  maxSyncAgeMinutes: number;
  /** The schedule's interval (0: syncs only when an answer finds the copy stale): what "overdue" is measured by. */
  backgroundSyncIntervalMinutes: number;
  /** Called when an answer finds the copy stale: asks the schedule for a sync (none in test mode). */
  nudgeSync: () => void;
  /** Whether this server receives Intercom's webhooks (a secret is configured). */
  receivingWebhooks: boolean;
  /** FASTINTERCOM_TIMEZONE / `timezone`: wins over the workspace's own zone. */
  timezoneOverride: string | undefined;
  region: string;
  /** How the server was started, for the hints in answers: `fast-intercom-mcp --test-mode`. */
  invocation: string;
  /** The kinds of customers' personal data every answer masks (`--redact`). */
  redact: ReadonlySet<PersonalDataKind>;
  /** Writes to Intercom, when allowed (`--allow-writes`). */
  writes: WriteDesk | undefined;
}

export interface Answering {
  zone: string;
  clock: Clock;
  timeframe: (text: string) => Timeframe;
  /** How fresh an answer about this window is; a stale copy also nudges a background sync. */
  /** `status` when the caller has just read it, to spare a second read. */
  freshness: (window?: Timeframe, status?: StoreStatus) => Promise<Freshness>;
  url: (conversationId: string) => string | null;
}

/** The copy's health as every answer reports it. */
export async function currentHealth(deps: McpDeps): Promise<Health> {
  const status = await deps.store.status();
  return assessHealth({
    lastRun: status.lastRun,
    lastSuccessfulRun: status.lastSuccessfulRun,
    cannotSync: deps.sync.cannotSync,
    explainedFailure: deps.sync.lastFailure,
    maxSyncAgeMinutes: deps.maxSyncAgeMinutes,
    backgroundSyncIntervalMinutes: deps.backgroundSyncIntervalMinutes,
    now: Date.now() / 1000,
  });
}

export async function answering(deps: McpDeps): Promise<Answering> {
  const [zone, appId] = await Promise.all([
    storedZone(deps.store, deps.timezoneOverride),
    deps.store.getMeta(WORKSPACE_APP_ID_KEY),
  ]);
  const clock = clockFor(zone);
  return {
    zone,
    clock,
    timeframe: (text) => parseTimeframe(text, zone),
    freshness: async (window, status) => {
      const fresh = freshness(status ?? (await deps.store.status()), deps.maxSyncAgeMinutes, clock, window);
      if (fresh.stale) deps.nudgeSync();
      return fresh;
    },
    url: (id) => inboxUrl(appId, deps.region, id),
  };
}
