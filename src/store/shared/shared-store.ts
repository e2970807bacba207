/**
 * What both engines store alike, written once: the settings kept in the copy (meta), the sync's
 * runs and checkpoint, the status and coverage, the reference data (admins, teams, tags), the ids
 * the sync compares against, and the webhook notification queue. Each engine extends this with how
 * it runs a query (its errors turned into StoreErrors, a write's bookkeeping) and what differs.
 */
import DataLoader from 'dataloader';
import type { Dialect, Kysely } from 'kysely';
import { SyncAlreadyRunning, type Holder, type LockHolder } from '../errors.js';
import { PARKED, PENDING, toQueued, toStats, type NotificationRow } from '../notification-rows.js';
import { toRun, type RunRow } from '../run-rows.js';
import { matchReference, REFERENCE_ROWS, type NamedRow } from '../text-match.js';
import {
  NOTIFICATION_RETENTION_SECONDS,
  type AdminRecord,
  type ArticleRecord,
  type ArticleView,
  type CollectionRecord,
  type CompanyPage,
  type CompanyRecord,
  type CompanySearchParams,
  type CompanyVersion,
  type CompanyView,
  type CoverageWindow,
  type NotificationStats,
  type ReferenceKind,
  type StoredVersion,
  type StoreStatus,
  type TagRecord,
  type TicketPage,
  type TicketRecord,
  type TicketSearchParams,
  type TicketStats,
  type TicketTypeRecord,
  type TicketView,
  type TeamRecord,
  type NotificationOutcome,
  type QueuedNotification,
  type SyncCheckpoint,
  type SyncCounters,
  type SyncRunSummary,
  type ThreadAudit,
  type AuditEntry,
  type WriteClaim,
  type WritePreviewRecord,
  FUTURE_TOLERANCE_SECONDS,
  UPKEEP_AFTER_CONVERSATIONS,
} from '../types.js';
import { jsonColumn, orNull } from './columns.js';
import { kysely } from './kysely.js';
import type { SharedTables } from './tables.js';
import {
  articleVersions,
  deleteArticles,
  helpCollections,
  readArticle,
  saveArticle,
  saveCollections,
} from './help-center.js';
import { auditThreads } from './thread-audit.js';
import { indexMissingTerms } from './term-index.js';
import {
  companyVersions,
  deleteCompanies,
  findCompanies,
  readCompany,
  saveCompanies,
  saveCompanyContacts,
  searchCompanies,
} from './companies.js';
import {
  deleteTickets,
  readTicket,
  saveTicket,
  saveTicketTypes,
  searchTickets,
  ticketStats,
  ticketTypes,
  ticketVersions,
  type TicketFilters,
  type TicketTextIndex,
} from './tickets.js';
import { upsertById } from './upsert.js';
import { auditEntries, claimWrite, finishWrite, recordPreview } from './write-audit.js';

type Db = Kysely<SharedTables>;

async function coverageOf(db: Db): Promise<CoverageWindow[]> {
  return (await db.selectFrom('coverage').select(['from_ts', 'to_ts']).orderBy('from_ts').execute()).map(
    (r) => ({
      from: Number(r.from_ts),
      to: Number(r.to_ts),
    }),
  );
}

const LIVE_ID_BATCH = 5000;

const NOTIFICATION_COLUMNS = ['id', 'topic', 'created_at', 'received_at', 'payload', 'attempts'] as const;

/**
 * A lock between processes, as an engine keeps it: the sync lock (one sync at a time) and the
 * leadership of the scheduled syncs (one server of several syncs on its timer).
 */
export interface ProcessLock {
  /** Takes the lock (or keeps it, if this process has it); else says who holds it. */
  take(): Promise<Holder | undefined>;
  release(): Promise<void>;
  /** The live process holding it, this one included. */
  holder(): Promise<Holder | undefined>;
  /** Whether this process still holds it. */
  confirm(): Promise<boolean>;
}

export abstract class SharedStore {
  private builder: Db | undefined;

  /** The engine's Kysely dialect, on the store's own connection or pool. */
  protected abstract dialect(kysely: typeof import('kysely')): Dialect;

  /** The builder on the engine's dialect, made on first use (see kysely.ts). */
  protected queries(): Db {
    this.builder ??= new (kysely().Kysely)<SharedTables>({ dialect: this.dialect(kysely()) });
    return this.builder;
  }

  /** Runs a read, the engine's failures turned into StoreErrors. */
  protected abstract read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs a write as one unit, with whatever the engine keeps track of writes by. */
  protected abstract write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** The schema version this engine's migrations bring a copy to. */
  protected abstract readonly schemaVersion: number;
  /** What the copy takes on disk, read through `db` (a file's size, or the schema's relations). */
  protected abstract sizeOnDisk(db: Db): Promise<number>;
  /** The engine's upkeep after a run that stored many conversations (its index, its statistics). */
  protected abstract afterLargeRun(): Promise<void>;
  /** A token that moves whenever the copy's data changes, by any process. */
  protected abstract dataVersion(): Promise<string>;
  /** Reads through `db` from one consistent view of the copy, where the engine has one for free. */
  protected abstract snapshot<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** How the engine's full-text index finds tickets. */
  protected abstract readonly ticketText: TicketTextIndex;
  protected abstract readonly syncLock: ProcessLock;
  protected abstract readonly leaderLock: ProcessLock;

  async acquireSyncLock(): Promise<void> {
    const holder = await this.syncLock.take();
    if (holder) throw new SyncAlreadyRunning({ pid: holder.pid, host: holder.host });
  }

  async releaseSyncLock(): Promise<void> {
    await this.syncLock.release();
  }

  async syncLockHolder(): Promise<LockHolder | undefined> {
    const holder = await this.syncLock.holder();
    return holder && { pid: holder.pid, host: holder.host };
  }

  async claimLeadership(): Promise<boolean> {
    return (await this.leaderLock.take()) === undefined;
  }

  async stillLeading(): Promise<boolean> {
    return this.leaderLock.confirm();
  }

  async releaseLeadership(): Promise<void> {
    await this.leaderLock.release();
  }

  async syncLeader(): Promise<Holder | undefined> {
    return this.leaderLock.holder();
  }

  /**
   * Settings asked for in the same turn are read with one statement: an answer's helpers each ask
   * for theirs (the zone, the app id, what the token may not read), and on PostgreSQL each
   * statement is a round trip on a pool of a few connections. Never cached: a sync may change them.
   */
  private readonly meta = new DataLoader<string, string | undefined>(
    (keys) =>
      this.read(async (db) => {
        const rows = await db
          .selectFrom('meta')
          .select(['key', 'value'])
          .where('key', 'in', [...keys])
          .execute();
        const values = new Map(rows.map((r) => [r.key, r.value]));
        return keys.map((k) => values.get(k));
      }),
    { cache: false },
  );

  async getMeta(key: string): Promise<string | undefined> {
    return this.meta.load(key);
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

  private readonly kept = new Map<string, { version: string; value: Promise<unknown> }>();

  /** Asked for in the same turn, the version is read once: every answer asks for the status twice (its own and its health's). */
  private readonly version = new DataLoader<0, string>(
    async (keys) => {
      const v = await this.dataVersion();
      return keys.map(() => v);
    },
    { cache: false },
  );

  /**
   * A value kept until the data changes. The version is read first, so a value computed after a
   * change it missed is merely computed again, never kept past a change. An answer still to
   * come is shared by the callers meanwhile; a failed one is not kept.
   */
  protected async untilChanged<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await this.version.load(0);
    let entry = this.kept.get(key);
    if (entry?.version !== version) {
      const value = compute();
      this.kept.set(key, (entry = { version, value }));
      value.catch(() => this.kept.get(key)?.value === value && this.kept.delete(key));
    }
    return entry.value as Promise<T>;
  }

  /**
   * Clients poll the status, and counting every row of a large copy takes milliseconds: it is kept
   * until the data changes. Parts are written only with their conversation, which records how
   * many (parts_stored), so the messages are counted from an index of the conversations.
   */
  async status(): Promise<StoreStatus> {
    return this.untilChanged('status', () => this.snapshot((db) => this.computeStatus(db)));
  }

  private async computeStatus(db: Db): Promise<StoreStatus> {
    const c = (
      await kysely().sql<Record<string, number | null>>`SELECT
        (SELECT count(*) FROM conversations WHERE deleted_at IS NULL) AS conversations,
        (SELECT count(*) FROM conversations WHERE deleted_at IS NOT NULL) AS deleted,
        (SELECT sum(parts_stored) FROM conversations) AS parts,
        (SELECT count(*) FROM contacts) AS contacts,
        (SELECT count(*) FROM admins) AS admins,
        (SELECT count(*) FROM teams) AS teams,
        (SELECT count(*) FROM tags) AS tags,
        (SELECT count(*) FROM conversations WHERE deleted_at IS NULL AND parts_stored < parts_total) AS truncated,
        (SELECT count(*) FROM articles) AS articles,
        (SELECT count(*) FROM articles WHERE state = 'published') AS published,
        (SELECT count(*) FROM help_collections) AS collections,
        (SELECT count(*) FROM tickets WHERE stored_version IS NOT NULL) AS tickets,
        (SELECT count(*) FROM tickets WHERE stored_version IS NOT NULL AND open = 1) AS open_tickets,
        (SELECT count(*) FROM companies) AS companies,
        (SELECT count(*) FROM write_audit WHERE status = 'done') AS writes_done,
        (SELECT count(*) FROM write_audit WHERE status = 'failed') AS writes_failed,
        (SELECT min(updated_at) FROM conversations WHERE deleted_at IS NULL) AS lo,
        (SELECT max(updated_at) FROM conversations WHERE deleted_at IS NULL) AS hi`.execute(db)
    ).rows[0]!;
    const lastRun = async (succeeded: boolean) =>
      toRun(
        (await db
          .selectFrom('sync_runs')
          .selectAll()
          .$if(succeeded, (q) => q.where('status', '=', 'succeeded'))
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst()) as RunRow | undefined,
      );
    return {
      conversations: Number(c.conversations),
      deletedConversations: Number(c.deleted),
      parts: Number(c.parts),
      contacts: Number(c.contacts),
      admins: Number(c.admins),
      teams: Number(c.teams),
      tags: Number(c.tags),
      truncatedThreads: Number(c.truncated),
      articles: Number(c.articles),
      publishedArticles: Number(c.published),
      collections: Number(c.collections),
      tickets: Number(c.tickets),
      openTickets: Number(c.open_tickets),
      companies: Number(c.companies),
      writes: { done: Number(c.writes_done), failed: Number(c.writes_failed) },
      databaseBytes: await this.sizeOnDisk(db),
      schemaVersion: this.schemaVersion,
      newestUpdatedAt: orNull(c.hi),
      oldestUpdatedAt: orNull(c.lo),
      lastRun: await lastRun(false),
      lastSuccessfulRun: await lastRun(true),
      coverage: await coverageOf(db),
    };
  }

  async coverage(): Promise<CoverageWindow[]> {
    return this.read(coverageOf);
  }

  /**
   * Adds a window known complete, merged with those it overlaps or touches: the merged window is
   * written before the ones it swallows go, so a crash between the two leaves overlapping
   * windows (merged by the next call), never a gap where there was coverage.
   */
  async addCoverage(window: CoverageWindow): Promise<void> {
    await this.write(async (db) => {
      const touching = await db
        .selectFrom('coverage')
        .select(['from_ts', 'to_ts'])
        .where('to_ts', '>=', window.from)
        .where('from_ts', '<=', window.to)
        .execute();
      const from = Math.min(window.from, ...touching.map((r) => Number(r.from_ts)));
      const to = Math.max(window.to, ...touching.map((r) => Number(r.to_ts)));
      await db
        .insertInto('coverage')
        .values({ from_ts: from, to_ts: to })
        .onConflict((oc) => oc.column('from_ts').doUpdateSet({ to_ts: to }))
        .execute();
      await db.deleteFrom('coverage').where('from_ts', '>', from).where('from_ts', '<=', to).execute();
    });
  }

  /** Up to `limit` conversations stored before their terms were kept get them (term-index.ts). */
  async indexCustomerTerms(limit: number): Promise<number> {
    return this.write((db) => indexMissingTerms(db, limit));
  }

  /** The stored copy's own consistency; `now` bounds what counts as future. */
  async auditThreads(now: number): Promise<ThreadAudit> {
    return this.read((db) => auditThreads(db, now + FUTURE_TOLERANCE_SECONDS));
  }

  /** Bytes of text held (subjects, messages, names, emails): what the copy's size is compared to. */
  async storedTextBytes(): Promise<number> {
    const { rows } = await this.read((db) =>
      kysely().sql<{ n: number | null }>`SELECT
        coalesce((SELECT sum(octet_length(coalesce(title, '') || coalesce(subject, '') || coalesce(source_body, ''))) FROM conversations), 0)
        + coalesce((SELECT sum(octet_length(coalesce(body, ''))) FROM parts), 0)
        + coalesce((SELECT sum(octet_length(coalesce(name, '') || coalesce(email, ''))) FROM contacts), 0) AS n`.execute(
        db,
      ),
    );
    return Number(rows[0]!.n ?? 0);
  }

  /** Admins, teams or tags whose name or email matches a person's text (text-match.ts). */
  async findReference(kind: ReferenceKind, text: string): Promise<{ id: string; name: string | null }[]> {
    const { rows } = await this.read((db) => kysely().sql.raw<NamedRow>(REFERENCE_ROWS[kind]).execute(db));
    return matchReference(rows, text).map(({ id, name }) => ({ id, name }));
  }

  /** What the copy holds of these conversations, to tell which changed since. */
  async storedVersions(ids: string[]): Promise<Map<string, StoredVersion>> {
    if (ids.length === 0) return new Map();
    // Deleted rows are dropped here, not in the query: SQLite without statistics (a new copy's
    // first sync, until the store closes) takes `deleted_at IS NULL` for a selective lookup, and
    // walked every live conversation through an index led by it instead of the ids' own index,
    // a second a page at 500,000 conversations.
    const rows = await this.read((db) =>
      db
        .selectFrom('conversations')
        .select(['id', 'updated_at', 'parts_count_stat', 'thread_read_at', 'deleted_at'])
        .where('id', 'in', ids)
        .execute(),
    );
    return new Map(
      rows
        .filter((r) => r.deleted_at === null)
        .map((r) => [
          r.id,
          {
            updatedAt: Number(r.updated_at),
            partsCountStat: orNull(r.parts_count_stat),
            threadReadAt: orNull(r.thread_read_at),
          },
        ]),
    );
  }

  async liveIdsUpdatedBetween(from: number, to: number): Promise<string[]> {
    return this.liveIdsUpdatedBetweenExcept(from, to, { has: () => false });
  }

  /** Read in batches by rid: a 100k-conversation window never sits in memory whole. */
  async liveIdsUpdatedBetweenExcept(
    from: number,
    to: number,
    seen: { has(id: string): boolean },
  ): Promise<string[]> {
    const unseen: string[] = [];
    for (let after = 0; ; ) {
      const rows = await this.read((db) =>
        db
          .selectFrom('conversations')
          .select(['rid', 'id'])
          .where('deleted_at', 'is', null)
          .where('updated_at', '>=', from)
          .where('updated_at', '<', to)
          .where('rid', '>', after)
          .orderBy('rid')
          .limit(LIVE_ID_BATCH)
          .execute(),
      );
      for (const r of rows) if (!seen.has(r.id)) unseen.push(r.id);
      if (rows.length < LIVE_ID_BATCH) return unseen;
      after = Number(rows[rows.length - 1]!.rid);
    }
  }

  /** Threads changed since they were read, the longest unread first. */
  async threadsToReread(readBefore: number, limit: number): Promise<string[]> {
    return this.read(async (db) =>
      (
        await db
          .selectFrom('conversations')
          .select('id')
          .where('deleted_at', 'is', null)
          .whereRef('updated_at', '>', 'thread_read_updated_at')
          .where('thread_read_at', '<', readBefore)
          .orderBy('thread_read_at')
          .limit(limit)
          .execute()
      ).map((r) => r.id),
    );
  }

  async saveAdmins(admins: AdminRecord[]): Promise<void> {
    const rows = admins.map((a) => ({ id: a.id, type: a.type, name: a.name, email: a.email }));
    await this.write((db) => upsertById(db, 'admins', rows, ['type', 'name', 'email']));
  }

  async saveTeams(teams: TeamRecord[]): Promise<void> {
    const rows = teams.map((t) => ({ id: t.id, name: t.name, admin_ids: JSON.stringify(t.adminIds) }));
    await this.write((db) => upsertById(db, 'teams', rows, ['name', 'admin_ids']));
  }

  async saveTags(tags: TagRecord[]): Promise<void> {
    const rows = tags.map((t) => ({ id: t.id, name: t.name }));
    await this.write((db) => upsertById(db, 'tags', rows, ['name']));
  }

  async saveCollections(collections: CollectionRecord[]): Promise<void> {
    await this.write((db) => saveCollections(db, collections));
  }

  async saveArticles(articles: ArticleRecord[]): Promise<void> {
    await this.write(async (db) => {
      for (const a of articles) await saveArticle(db, a);
    });
  }

  async articleVersions(): Promise<Map<string, number>> {
    return this.read(articleVersions);
  }

  async deleteArticles(ids: string[]): Promise<void> {
    await this.write((db) => deleteArticles(db, ids));
  }

  async getArticle(id: string): Promise<ArticleView | undefined> {
    return this.read((db) => readArticle(db, id));
  }

  async helpCollections(): Promise<(CollectionRecord & { articles: number })[]> {
    return this.read(helpCollections);
  }

  async saveTicketTypes(types: TicketTypeRecord[]): Promise<void> {
    await this.write((db) => saveTicketTypes(db, types));
  }

  async saveTickets(tickets: TicketRecord[]): Promise<void> {
    await this.write(async (db) => {
      for (const t of tickets) await saveTicket(db, t);
    });
  }

  async ticketVersions(ids?: string[]): Promise<Map<string, number>> {
    return this.read((db) => ticketVersions(db, ids));
  }

  async deleteTickets(ids: string[]): Promise<void> {
    await this.write((db) => deleteTickets(db, ids));
  }

  async searchTickets(params: TicketSearchParams): Promise<TicketPage> {
    return this.snapshot((db) => searchTickets(db, params, this.ticketText));
  }

  async ticketStats(params: TicketFilters): Promise<TicketStats> {
    return this.snapshot((db) => ticketStats(db, params, this.ticketText));
  }

  async getTicket(idOrNumber: string): Promise<TicketView | undefined> {
    return this.snapshot((db) => readTicket(db, idOrNumber));
  }

  async ticketTypes(): Promise<(TicketTypeRecord & { tickets: number; open: number })[]> {
    return this.read(ticketTypes);
  }

  async saveCompanies(companies: CompanyRecord[], contactsReadAt: number): Promise<void> {
    await this.write((db) => saveCompanies(db, companies, contactsReadAt));
  }

  async saveCompanyContacts(links: { companyId: string; contactIds: string[] }[], at: number): Promise<void> {
    await this.write((db) => saveCompanyContacts(db, links, at));
  }

  async companyVersions(ids?: string[]): Promise<Map<string, CompanyVersion>> {
    return this.read((db) => companyVersions(db, ids));
  }

  async deleteCompanies(ids: string[]): Promise<void> {
    await this.write((db) => deleteCompanies(db, ids));
  }

  async searchCompanies(params: CompanySearchParams): Promise<CompanyPage> {
    return this.snapshot((db) => searchCompanies(db, params));
  }

  async findCompanies(ref: string): Promise<string[]> {
    return this.read((db) => findCompanies(db, ref));
  }

  async getCompany(id: string): Promise<CompanyView | undefined> {
    return this.snapshot((db) => readCompany(db, id));
  }

  async knownReferenceIds(): Promise<{ admins: Set<string>; teams: Set<string>; tags: Set<string> }> {
    return this.read(async (db) => {
      const ids = async (table: 'admins' | 'teams' | 'tags') =>
        new Set((await db.selectFrom(table).select('id').execute()).map((r) => r.id));
      return { admins: await ids('admins'), teams: await ids('teams'), tags: await ids('tags') };
    });
  }

  /** Contacts named by a stored conversation that the copy does not hold yet. */
  async missingContactIds(): Promise<string[]> {
    return this.read(async (db) =>
      (
        await db
          .selectFrom('conversation_contacts as l')
          .select('l.contact_id as id')
          .distinct()
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('contacts as k').select('k.id').whereRef('k.id', '=', 'l.contact_id'))),
          )
          .execute()
      ).map((r) => r.id),
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
    return {
      runId: Number(row.run_id),
      windowStart: Number(row.window_start),
      windowEnd: row.window_end === null ? null : Number(row.window_end),
      backfillFrom: Number(row.backfill_from ?? row.window_start),
      mark: Number(row.mark),
      idsAtMark: jsonColumn<string[]>(row.ids_at_mark),
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

  recordPreview(p: WritePreviewRecord): Promise<number> {
    return this.write((db) => recordPreview(db, p));
  }

  claimWrite(handleHash: string, principal: string, now: number): Promise<WriteClaim> {
    return this.write((db) => claimWrite(db, handleHash, principal, now));
  }

  finishWrite(
    id: number,
    outcome: { status: 'done' | 'failed'; answer?: unknown; error?: string; at: number },
  ): Promise<void> {
    return this.write((db) => finishWrite(db, id, outcome));
  }

  auditEntries(opts: { limit: number; previews: boolean }): Promise<AuditEntry[]> {
    return this.read((db) => auditEntries(db, opts));
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

  /**
   * Two statements, run together, kept until the data changes as the status is (every count and
   * time in it moves only with a write): get_server_status asks for this with every answer.
   */
  async notificationStats(): Promise<NotificationStats> {
    return this.untilChanged('notifications', () => this.readNotificationStats());
  }

  private async readNotificationStats(): Promise<NotificationStats> {
    return this.read(async (db) => {
      const { sql } = kysely();
      const [byTopic, counts] = await Promise.all([
        db
          .selectFrom('notifications')
          .select((eb) => ['topic', eb.fn.countAll<number>().as('n')])
          .groupBy('topic')
          .execute(),
        sql<{ pending: number; parked: number; created_at: number | null; received_at: number | null }>`SELECT
          (SELECT count(*) FROM notifications WHERE ${sql.raw(PENDING)}) AS pending,
          (SELECT count(*) FROM notifications WHERE ${sql.raw(PARKED)}) AS parked,
          (SELECT created_at FROM notifications ORDER BY seq DESC LIMIT 1) AS created_at,
          (SELECT received_at FROM notifications ORDER BY seq DESC LIMIT 1) AS received_at`.execute(db),
      ]);
      const c = counts.rows[0]!;
      const last =
        c.created_at === null || c.received_at === null
          ? undefined
          : { created_at: c.created_at, received_at: c.received_at };
      return toStats(byTopic, c.pending, c.parked, last);
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
