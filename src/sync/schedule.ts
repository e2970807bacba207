/**
 * The scheduled syncs of the servers sharing one copy: exactly one of them, the leader, syncs on
 * the timer; the others serve and ask every CLAIM_EVERY_MS whether the leadership is free. A leader
 * that dies (kill -9, a cut network, a frozen process) loses it by the store's own means, and the
 * next follower to ask takes over and syncs at once when the last run did not finish: the sync
 * resumes from its checkpoint. On-demand syncs (the sync tool, the CLI) run on any server, one at
 * a time by the sync lock.
 */
import type { Logger } from '../config/logger.js';
import type { Store } from '../store/types.js';
import type { NotificationProcessor } from './notifications.js';
import type { SyncController } from './controller.js';

/** How often a follower asks for the leadership, and a leader checks it still has it. */
export const CLAIM_EVERY_MS = 5000;
/** Where a follower leaves word that its answers found the copy stale, for the leader to sync. */
const WANTED_KEY = 'sync_wanted_at';
/** A follower leaves that word at most this often. */
const WANT_EVERY_MS = 30_000;

const FIRST_RETRY_MS = 15_000;
/**
 * While webhooks keep the copy fresh, polling only has to catch what they miss (dropped, paused,
 * topics Intercom has none for): it runs this many times less often.
 */
const WEBHOOK_STRETCH = 3;

/**
 * The wait before the next scheduled sync: the interval (none when it is 0: syncs come only when
 * answers find the copy stale), or after failures 15 s, 30 s, 60 s… up to it.
 */
export function nextSyncIn(intervalMinutes: number, failures: number): number {
  const interval = intervalMinutes > 0 ? intervalMinutes * 60_000 : Infinity;
  return failures === 0 ? interval : Math.min(interval, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 20));
}

export class SyncSchedule {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  /** When the leader's next sync is due, epoch ms; undefined while one runs. */
  private due: number | undefined;
  private stopped = false;
  /** Failed runs in a row: a failed sync is retried sooner than the interval, then less often. */
  private failures = 0;
  private wantedAt = 0;
  /** When the current wait was stretched because webhooks flowed. */
  private stretchedFrom: number | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly sync: SyncController,
    private readonly logger: Logger,
    private readonly intervalMinutes: number,
    private readonly notifications: NotificationProcessor,
  ) {}

  start(): void {
    const loop = () => {
      this.ticking = this.tick()
        .catch((e: unknown) =>
          this.logger.warn(`sync schedule: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(loop, CLAIM_EVERY_MS);
          this.timer.unref();
        });
    };
    loop();
  }

  private async tick(): Promise<void> {
    if (!this.leading) {
      if (!(await this.store.claimLeadership())) return;
      this.leading = true;
      this.due = await this.firstDue();
      this.logger.info('sync schedule: this server leads the scheduled syncs');
    } else if (!(await this.store.stillLeading())) {
      this.leading = false;
      this.logger.warn('sync schedule: the leadership was lost; a running sync stops at its checkpoint');
      this.sync.cancel();
      return;
    }
    // Notifications queued by a server that died before applying them, or before a restart.
    void this.notifications
      .drain()
      .catch((e: unknown) => this.logger.warn(`webhooks: ${e instanceof Error ? e.message : String(e)}`));
    if (this.due !== undefined && Date.now() < this.due && (await this.wantedSinceLastRun()))
      this.due = Date.now();
    // Stretched while webhooks flowed: back to the interval once they stop.
    if (this.stretchedFrom !== undefined && this.due !== undefined && !(await this.webhooksFlowing())) {
      this.due = Math.min(this.due, this.stretchedFrom + nextSyncIn(this.intervalMinutes, this.failures));
      this.stretchedFrom = undefined;
    }
    if (this.due === undefined || Date.now() < this.due || this.sync.running) return;
    this.due = undefined;
    const { outcome } = this.sync.start({});
    void outcome.then(async (o) => {
      this.failures = 'error' in o ? this.failures + 1 : 0;
      const wait = nextSyncIn(this.intervalMinutes, this.failures);
      const stretch = this.failures === 0 && (await this.webhooksFlowing().catch(() => false));
      this.stretchedFrom = stretch ? Date.now() : undefined;
      this.due = Date.now() + wait * (stretch ? WEBHOOK_STRETCH : 1);
    });
  }

  /**
   * An answer found the copy stale: the leader syncs at once; a follower asks the leader, through
   * the store, which the leader reads on its next tick.
   */
  nudge(): void {
    if (this.stopped || this.sync.running) return;
    if (this.leading) {
      if (this.due !== undefined) this.due = Math.min(this.due, Date.now());
      return;
    }
    if (Date.now() - this.wantedAt < WANT_EVERY_MS) return;
    this.wantedAt = Date.now();
    void this.store
      .setMeta(WANTED_KEY, String(this.wantedAt))
      .catch((e: unknown) =>
        this.logger.warn(`sync schedule: ${e instanceof Error ? e.message : String(e)}`),
      );
  }

  /** Whether notifications arrived within the last interval (or 10 minutes, without one). */
  private async webhooksFlowing(): Promise<boolean> {
    const last = (await this.store.notificationStats()).lastReceivedAt;
    const window = this.intervalMinutes > 0 ? this.intervalMinutes * 60 : 600;
    return last !== null && Date.now() / 1000 - last < window;
  }

  /** Whether a follower found the copy stale after the last run finished (not while it ran). */
  private async wantedSinceLastRun(): Promise<boolean> {
    const wanted = Number((await this.store.getMeta(WANTED_KEY)) ?? 0);
    if (wanted === 0) return false;
    const last = (await this.store.status()).lastRun;
    return last === null || (last.finishedAt !== null && wanted > last.finishedAt * 1000);
  }

  /** Now, unless the last run finished and the interval since it has not passed. */
  private async firstDue(): Promise<number> {
    const s = await this.store.status();
    const finished = s.lastRun?.status === 'succeeded' ? s.lastRun.finishedAt : null;
    return finished ? finished * 1000 + nextSyncIn(this.intervalMinutes, 0) : Date.now();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    // The sync stops before the leadership goes, so the next leader finds the sync lock free.
    await this.sync.stop();
    if (this.leading) await this.store.releaseLeadership().catch(() => undefined);
    this.leading = false;
  }
}
