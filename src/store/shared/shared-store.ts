/**
 * What both engines store alike, written once: the settings kept in the copy (meta), the sync's
 * runs and checkpoint, and the webhook notification queue. Each engine extends this with how it
 * runs a query (its errors turned into StoreErrors, a write's bookkeeping) and what differs.
 */
import { createRequire } from 'node:module';
import type { Dialect, Kysely } from 'kysely';
import { toQueued, type NotificationRow } from '../notification-rows.js';
import {
  NOTIFICATION_RETENTION_SECONDS,
  type NotificationOutcome,
  type QueuedNotification,
  type SyncCheckpoint,
  type SyncCounters,
  type SyncRunSummary,
  UPKEEP_AFTER_CONVERSATIONS,
} from '../types.js';
import type { SharedTables } from './tables.js';

type Db = Kysely<SharedTables>;
type KyselyModule = typeof import('kysely');

let loaded: KyselyModule | undefined;
/** The query builder's module, loaded once per process (or thread) that uses it. */
export const kysely = (): KyselyModule =>
  (loaded ??= createRequire(import.meta.url)('kysely') as KyselyModule);

const NOTIFICATION_COLUMNS = ['id', 'topic', 'created_at', 'received_at', 'payload', 'attempts'] as const;

export abstract class SharedStore {
  private builder: Db | undefined;

  /** The engine's Kysely dialect, on the store's own connection or pool. */
  protected abstract dialect(kysely: typeof import('kysely')): Dialect;

  /**
   * Kysely is loaded on first use, and as CommonJS: its 280 modules cost a process about 20 MB of
   * resident memory as ES modules, 15 MB as CommonJS (docs/performance.md), and the reader
   * threads, which never run these queries, pay nothing.
   */
  protected queries(): Db {
    this.builder ??= new (kysely().Kysely)<SharedTables>({ dialect: this.dialect(kysely()) });
    return this.builder;
  }

  /** Runs a read, the engine's failures turned into StoreErrors. */
  protected abstract read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs a write as one unit, with whatever the engine keeps track of writes by. */
  protected abstract write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** The engine's upkeep after a run that stored many conversations (its index, its statistics). */
  protected abstract afterLargeRun(): Promise<void>;

  async getMeta(key: string): Promise<string | undefined> {
    return this.read(
      async (db) =>
        (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value,
    );
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.write((db) =>
      db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute(),
    );
  }

  async startRun(kind: string, windowStart: number | null, at: number): Promise<number> {
    return this.write(async (db) =>
      Number(
        (
          await db
            .insertInto('sync_runs')
            .values({ kind, started_at: at, status: 'running', window_start: windowStart })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      ),
    );
  }

  async finishRun(
    id: number,
    status: SyncRunSummary['status'],
    c: SyncCounters,
    error: string | null,
    at: number,
  ): Promise<void> {
    await this.write((db) =>
      db
        .updateTable('sync_runs')
        .set({
          status,
          finished_at: at,
          conversations: c.conversations,
          parts: c.parts,
          api_calls: c.apiCalls,
          rate_limited: c.rateLimited,
          error,
        })
        .where('id', '=', id)
        .execute(),
    );
    if (c.conversations >= UPKEEP_AFTER_CONVERSATIONS) await this.afterLargeRun();
  }

  async interruptStaleRuns(): Promise<void> {
    await this.write((db) =>
      db.updateTable('sync_runs').set({ status: 'interrupted' }).where('status', '=', 'running').execute(),
    );
  }

  async getCheckpoint(): Promise<SyncCheckpoint | undefined> {
    const row = await this.read((db) =>
      db.selectFrom('sync_checkpoint').selectAll().where('only_row', '=', 1).executeTakeFirst(),
    );
    if (!row) return undefined;
    const ids: unknown = row.ids_at_mark;
    return {
      runId: Number(row.run_id),
      windowStart: Number(row.window_start),
      windowEnd: row.window_end === null ? null : Number(row.window_end),
      backfillFrom: Number(row.backfill_from ?? row.window_start),
      mark: Number(row.mark),
      idsAtMark: (typeof ids === 'string' ? JSON.parse(ids) : ids) as string[],
      startedAt: Number(row.started_at),
    };
  }

  async saveCheckpoint(cp: SyncCheckpoint): Promise<void> {
    const row = {
      run_id: cp.runId,
      window_start: cp.windowStart,
      window_end: cp.windowEnd,
      backfill_from: cp.backfillFrom,
      mark: cp.mark,
      ids_at_mark: JSON.stringify(cp.idsAtMark),
      started_at: cp.startedAt,
    };
    await this.write((db) =>
      db
        .insertInto('sync_checkpoint')
        .values({ only_row: 1, ...row })
        .onConflict((oc) => oc.column('only_row').doUpdateSet(row))
        .execute(),
    );
  }

  async clearCheckpoint(): Promise<void> {
    await this.write((db) => db.deleteFrom('sync_checkpoint').execute());
  }

  async enqueueNotification(n: Omit<QueuedNotification, 'attempts'>): Promise<boolean> {
    return this.write(async (db) => {
      const result = await db
        .insertInto('notifications')
        .values({
          id: n.id,
          topic: n.topic,
          created_at: n.createdAt,
          received_at: n.receivedAt,
          payload: n.payload,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    });
  }

  /** Waiting, and due: neither processed nor parked, its retry time (if any) come. */
  async pendingNotifications(limit: number, now: number): Promise<QueuedNotification[]> {
    return this.read(async (db) =>
      (
        await db
          .selectFrom('notifications')
          .select(NOTIFICATION_COLUMNS)
          .where('processed_at', 'is', null)
          .where('outcome', 'is', null)
          .where((eb) => eb.or([eb('retry_at', 'is', null), eb('retry_at', '<=', now)]))
          .orderBy('seq')
          .limit(limit)
          .execute()
      ).map((r) => toQueued(r as NotificationRow)),
    );
  }

  async deferNotification(id: string, attempts: number, retryAt: number | null): Promise<void> {
    await this.write((db) =>
      db
        .updateTable('notifications')
        .set({ attempts, retry_at: retryAt, outcome: retryAt === null ? 'parked' : null })
        .where('id', '=', id)
        .execute(),
    );
  }

  async parkedNotifications(limit: number): Promise<QueuedNotification[]> {
    return this.read(async (db) =>
      (
        await db
          .selectFrom('notifications')
          .select(NOTIFICATION_COLUMNS)
          .where('processed_at', 'is', null)
          .where('outcome', '=', 'parked')
          .orderBy('seq')
          .limit(limit)
          .execute()
      ).map((r) => toQueued(r as NotificationRow)),
    );
  }

  /** Its payload dropped once handled; the rows themselves kept for the retention window's counts. */
  async finishNotification(id: string, outcome: NotificationOutcome, at: number): Promise<void> {
    await this.write(async (db) => {
      await db
        .updateTable('notifications')
        .set({ processed_at: at, outcome, payload: null })
        .where('id', '=', id)
        .execute();
      await db
        .deleteFrom('notifications')
        .where('processed_at', '<', at - NOTIFICATION_RETENTION_SECONDS)
        .execute();
    });
  }
}
