/**
 * The server's syncs: at most one at a time (also across processes, through the run lock), started
 * by a tool call or by the schedule (schedule.ts), stoppable at a checkpoint on shutdown.
 */
import { count } from '../wording.js';
import type { Logger } from '../config/logger.js';
import type { IntercomApi } from '../intercom/client.js';
import type { Store } from '../store/types.js';
import { underSyncLock } from './sync-lock.js';
import { runSync, type SyncProgress, type SyncRequest, type SyncResult } from './engine.js';
import { explainFailure } from './failures.js';

export interface SyncControllerDeps {
  store: Store;
  /** Undefined when there is no token: the server still answers from the local copy. */
  api: IntercomApi | undefined;
  logger: Logger;
  initialSyncDays: number;
  /** FASTINTERCOM_TIMEZONE / `timezone`: the zone a window of days is counted in. */
  timezone: string | undefined;
  /** FASTINTERCOM_MAX_SYNC_CONVERSATIONS: where each run stops. */
  maxConversations: number | undefined;
}

export type SyncOutcome = { result: SyncResult } | { error: string };

interface RunningSync {
  promise: Promise<SyncOutcome>;
  progress: SyncProgress | undefined;
  abort: AbortController;
}

export class SyncController {
  private current: RunningSync | undefined;
  lastOutcome: SyncOutcome | undefined;

  constructor(private readonly deps: SyncControllerDeps) {}

  get running(): { progress: SyncProgress | undefined } | undefined {
    return this.current ? { progress: this.current.progress } : undefined;
  }

  /** Why this server cannot sync at all, if it cannot: no token, or a copy it may not write. */
  get cannotSync(): string | undefined {
    if (!this.deps.api) return 'No Intercom access token is configured, so the server cannot sync.';
    if (!this.deps.store.writable)
      return `The copy at ${this.deps.store.location} is read-only for this user: it answers queries but cannot be synced. Sync from the account that owns the workspace.`;
    return undefined;
  }

  /** The last failure of a sync this server ran, explained with its fix. */
  get lastFailure(): string | undefined {
    return this.lastOutcome && 'error' in this.lastOutcome ? this.lastOutcome.error : undefined;
  }

  /** Starts a sync unless one is running; either way returns the running sync's outcome. */
  start(
    req: Omit<SyncRequest, 'signal' | 'onProgress' | 'defaultDays'>,
    onProgress?: (p: SyncProgress) => void,
  ): { started: boolean; outcome: Promise<SyncOutcome> } {
    if (this.current) return { started: false, outcome: this.current.promise };
    const api = this.deps.api;
    const cannot = this.cannotSync;
    if (!api || cannot) {
      return { started: false, outcome: Promise.resolve<SyncOutcome>({ error: cannot ?? '' }) };
    }
    const abort = new AbortController();
    const entry: RunningSync = { promise: Promise.resolve({ error: '' }), progress: undefined, abort };
    entry.promise = (async (): Promise<SyncOutcome> => {
      try {
        const result = await underSyncLock(this.deps.store, () =>
          runSync(api, this.deps.store, {
            ...req,
            defaultDays: this.deps.initialSyncDays,
            ...(this.deps.timezone ? { timezone: this.deps.timezone } : {}),
            ...(this.deps.maxConversations ? { maxConversations: this.deps.maxConversations } : {}),
            signal: abort.signal,
            onProgress: (p) => {
              entry.progress = p;
              onProgress?.(p);
            },
          }),
        );
        this.deps.logger.info(
          `sync (${result.kind}): ${result.fetched} fetched, ${count(result.apiCalls, 'API call')}`,
        );
        return { result };
      } catch (e) {
        const failure = explainFailure(e, this.deps.api?.connection.baseUrl);
        const error = `${failure.message} What to do: ${failure.actions[0]}.`;
        // Stopped on purpose (the client went away, a signal): the next run resumes from the checkpoint.
        if (failure.kind === 'interrupted' || abort.signal.aborted)
          this.deps.logger.info(
            `sync stopped at shutdown, to resume from its checkpoint: ${failure.message}`,
          );
        // Another process's sync (the replicas' leader, a CLI sync) is no failure of this one.
        else if (failure.kind === 'busy') this.deps.logger.info(`sync not started: ${failure.message}`);
        else this.deps.logger.error(`sync failed: ${error}`);
        return { error };
      } finally {
        this.current = undefined;
      }
    })();
    this.current = entry;
    void entry.promise.then((o) => (this.lastOutcome = o));
    return { started: true, outcome: entry.promise };
  }

  /** Stops a running sync at its next checkpoint, without waiting for it. */
  cancel(): void {
    this.current?.abort.abort();
  }

  /** Stops any running sync at its next checkpoint, and waits for it. */
  async stop(): Promise<void> {
    if (this.current) {
      this.current.abort.abort();
      await this.current.promise;
    }
  }
}
