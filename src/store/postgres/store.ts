/**
 * The PostgreSQL engine: a shared copy for teams, several servers on one database. Every call is a
 * pooled query or one transaction; the sync lock and the replicas' leadership are session locks
 * (locks.ts), which no crashed or frozen holder keeps.
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { newerSchemaError, StoreError } from '../errors.js';
import { kysely } from '../shared/kysely.js';
import { SharedStore } from '../shared/shared-store.js';
import type { SharedTables } from '../shared/tables.js';
import { fold } from '../text-match.js';
import {
  ArticlePage,
  ArticleSearchParams,
  ContactDetail,
  ContactRecord,
  ContactSummary,
  ConversationMetadata,
  ConversationStats,
  ConversationThemes,
  ConversationView,
  SearchPage,
  SearchParams,
  StatsRequest,
  ThemesRequest,
  LevelsRequest,
  ServiceLevels,
  Store,
  WorkspaceDirectory,
} from '../types.js';
import { createPool, retryingDeadlocks, translatePgError, type Db } from './connection.js';
import { describeUrl } from './url.js';
import {
  conversationStats,
  conversationThemes,
  getContact,
  searchContacts,
  serviceLevels,
  workspaceDirectory,
} from './insights.js';
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './migrations.js';
import { searchArticles } from './article-search.js';
import { ticketText } from './ticket-text.js';
import { readConversation } from './reader.js';
import { search } from './search.js';
import { SessionLock } from './locks.js';
import { applyMetadata, indexPeople, inIdOrder, writeConversations, type ThreadWrite } from './writer.js';

/** Every write moves the data version, which status caches on, whichever driver writes it. */
const BUMP_DATA_VERSION = 'UPDATE data_version SET n = n + 1 WHERE id = 1';
const DATA_VERSION = 'SELECT n FROM data_version WHERE id = 1';
/** Every table of the schema: each must answer a query. */
const TABLES = `conversations parts contacts admins teams tags conversation_contacts conversation_tags
  sync_runs sync_checkpoint coverage meta notifications sync_lock sync_leader data_version
  help_collections articles article_contents ticket_types tickets ticket_parts ticket_contacts
  ticket_links companies company_contacts conversation_terms terms ticket_terms`.split(/\s+/);
/** Parts a group-committed batch of threads may hold: large enough to amortise, small enough to stream. */
const BATCH_PARTS = 5000;

export interface PostgresOptions {
  /** Connections besides the sync lock's; reads and writes share them. */
  connections?: number;
}

export class PostgresStore extends SharedStore implements Store {
  readonly engine = 'postgres' as const;
  readonly writable = true;
  readonly location: string;
  private readonly pool: pg.Pool;
  protected readonly ticketText = ticketText;
  protected readonly syncLock: SessionLock;
  protected readonly leaderLock: SessionLock;

  private constructor(url: string, opts: PostgresOptions) {
    super();
    this.location = describeUrl(url);
    this.pool = createPool(url, opts.connections ?? 4);
    this.syncLock = new SessionLock(url, this.location, `${SCHEMA} sync`, 'sync_lock', this.pool);
    this.leaderLock = new SessionLock(url, this.location, `${SCHEMA} leader`, 'sync_leader', this.pool);
  }

  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, opts);
    try {
      await store.migrate();
      // Every connection opened now, while nobody waits: a first answer that opened them took
      // milliseconds each (the pool keeps them, see createPool).
      await Promise.all(
        Array.from({ length: store.pool.options.max ?? 1 }, () => store.pool.query('SELECT 1')),
      );
      return store;
    } catch (e) {
      await store.pool.end().catch(() => undefined);
      throw translatePgError(e, store.location);
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (db) => {
      // Two processes opening a new database at once: one migrates, the other waits and sees it done.
      await db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${SCHEMA} migrate`]);
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await db.query(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
      const found = (await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version'))
        .rows[0]!.v;
      const version = found ?? 0;
      if (version > SCHEMA_VERSION) throw newerSchemaError(this.location, version, SCHEMA_VERSION);
      for (let v = version; v < SCHEMA_VERSION; v++) {
        await db.query(MIGRATIONS[v]!);
        await db.query('INSERT INTO schema_version VALUES ($1)', [v + 1]);
      }
      if (version < SCHEMA_VERSION) await db.query(BUMP_DATA_VERSION);
    }, 'schema');
  }

  private async run<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    try {
      return await fn(this.pool);
    } catch (e) {
      throw translatePgError(e, this.location);
    }
  }

  /** The queries written once for both engines run on this store's pool. */
  protected dialect(k: typeof import('kysely')) {
    return new k.PostgresDialect({ pool: this.pool });
  }

  protected async read<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    return this.run(() => fn(this.queries()));
  }

  /** One transaction, which bumps the data version as every write does (see transaction). */
  protected async write<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    const { sql } = kysely();
    try {
      return await retryingDeadlocks(() =>
        this.queries()
          .transaction()
          .execute(async (trx) => {
            const result = await fn(trx);
            await sql.raw(BUMP_DATA_VERSION).execute(trx);
            return result;
          }),
      );
    } catch (e) {
      throw translatePgError(e, this.location);
    }
  }

  /**
   * Marks the new pages all-visible and refreshes the planner's statistics now rather than when
   * autovacuum comes round: until then every count by state or assignee reads the table instead
   * of its index (docs/performance.md), and a theme's sample its whole window.
   */
  protected async afterLargeRun(): Promise<void> {
    await this.run((db) =>
      db.query(
        'VACUUM (ANALYZE) conversations, conversation_contacts, conversation_tags, conversation_terms, contacts, parts, tickets, ticket_terms',
      ),
    );
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (e) {
      throw translatePgError(e, this.location);
    }
  }

  /**
   * One transaction on one connection. Writes bump the data version that status caches on;
   * a migration bumps it itself, once it has made sure the table exists.
   */
  private async transaction<T>(
    fn: (db: pg.PoolClient) => Promise<T>,
    mode: 'write' | 'read' | 'schema' = 'write',
  ): Promise<T> {
    const client = await this.connect();
    try {
      return await retryingDeadlocks(async () => {
        try {
          await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
          const result = await fn(client);
          if (mode === 'write') await client.query(BUMP_DATA_VERSION);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      });
    } catch (e) {
      throw translatePgError(e, this.location);
    } finally {
      client.release();
    }
  }

  private queuedThreads: { items: ThreadWrite[]; done: (error?: unknown) => void }[] = [];
  private writingThreads: Promise<void> | undefined;

  /**
   * Group commit: threads saved while a write is in flight wait for it and go together in the
   * next transaction, so a sync fetching many threads at once pays for one round of statements
   * per batch, not per thread. Each call still resolves only once its threads are committed.
   */
  saveConversations(items: ThreadWrite[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queuedThreads.push({ items, done: (e) => (e === undefined ? resolve() : reject(e)) });
      this.writingThreads ??= this.writeQueuedThreads();
    });
  }

  private async writeQueuedThreads(): Promise<void> {
    while (this.queuedThreads.length > 0) {
      const batch = takeBatch(this.queuedThreads);
      try {
        await this.transaction((db) =>
          writeConversations(
            db,
            batch.flatMap((b) => b.items),
          ),
        );
        for (const b of batch) b.done();
      } catch (e) {
        if (batch.length === 1) batch[0]!.done(e);
        // One bad thread must not fail the others it was batched with: each goes again alone.
        else
          for (const b of batch)
            await this.transaction((db) => writeConversations(db, b.items)).then(
              () => b.done(),
              (alone: unknown) => b.done(alone),
            );
      }
    }
    this.writingThreads = undefined;
  }

  async applyMetadata(items: ConversationMetadata[]): Promise<void> {
    await this.transaction(async (db) => {
      for (const item of items) await applyMetadata(db, item);
    });
  }

  async markDeleted(ids: string[], at: number): Promise<void> {
    await this.transaction(async (db) => {
      // A deleted conversation leaves the themes' terms, which hold live conversations only.
      await db.query(
        `WITH deleted AS (UPDATE conversations SET deleted_at = $1
           WHERE id = ANY($2::text[]) AND deleted_at IS NULL RETURNING rid)
         DELETE FROM conversation_terms WHERE rid IN (SELECT rid FROM deleted)`,
        [at, ids],
      );
    });
  }

  /**
   * Saves contacts and re-indexes the conversations that name the new or changed ones, so search
   * finds them by name; a contact saved again as it was is left alone.
   */
  async saveContacts(records: ContactRecord[]): Promise<void> {
    if (records.length === 0) return;
    const contacts = inIdOrder([...new Map(records.map((c) => [c.id, c])).values()]);
    await this.transaction(async (db) => {
      const { rows: changed } = await db.query<{ id: string }>(
        `INSERT INTO contacts (id, role, name, email, external_id, created_at, name_key, email_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
           $7::text[], $8::text[]) AS u(id, role, name, email, external_id, created_at, name_key, email_key)
         ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, email = excluded.email,
           external_id = excluded.external_id, created_at = excluded.created_at,
           name_key = excluded.name_key, email_key = excluded.email_key
         WHERE (contacts.role, contacts.name, contacts.email, contacts.external_id, contacts.created_at)
           IS DISTINCT FROM (excluded.role, excluded.name, excluded.email, excluded.external_id, excluded.created_at)
         RETURNING id`,
        [
          contacts.map((c) => c.id),
          contacts.map((c) => c.role),
          contacts.map((c) => c.name),
          contacts.map((c) => c.email),
          contacts.map((c) => c.externalId),
          contacts.map((c) => c.createdAt),
          contacts.map((c) => fold(c.name)),
          contacts.map((c) => fold(c.email)),
        ],
      );
      if (changed.length === 0) return;
      const rids = (
        await db.query<{ rid: number }>(
          'SELECT DISTINCT conversation_rid AS rid FROM conversation_contacts WHERE contact_id = ANY($1::text[])',
          [changed.map((c) => c.id)],
        )
      ).rows.map((r) => r.rid);
      for (let i = 0; i < rids.length; i += 1000) await indexPeople(db, rids.slice(i, i + 1000));
    });
  }

  searchConversations(params: SearchParams): Promise<SearchPage> {
    // One snapshot: the count, the page and its rows agree while a sync writes.
    return this.transaction((db) => search(db, params), 'read');
  }

  getConversation(id: string): Promise<ConversationView | undefined> {
    return this.run((db) => readConversation(db, id));
  }

  conversationStats(q: StatsRequest): Promise<ConversationStats> {
    return this.pairedRead((db, beside) => conversationStats(db, beside, q));
  }

  /**
   * A read transaction with a second connection in the same snapshot, when the pool has one free:
   * an answer made of independent scans runs two at once (a year's stats at 100k: 190 → about
   * 120 ms). The second connection is asked for only while one is idle, and whoever holds one
   * never waits for another, so readers cannot deadlock over the pool; without one, both run on
   * the first connection, one after the other.
   */
  private pairedRead<T>(fn: (db: Db, beside: Db) => Promise<T>): Promise<T> {
    return this.transaction(async (db) => {
      if (this.pool.idleCount <= this.pool.waitingCount) return fn(db, db);
      const helper = await this.connect();
      try {
        const { rows } = await db.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
        await helper.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        // The id is the server's own ("00000003-0000001B-1"); SET takes no parameters.
        await helper.query(`SET TRANSACTION SNAPSHOT '${rows[0]!.id.replace(/[^0-9A-F-]/gi, '')}'`);
        const result = await fn(db, helper);
        await helper.query('COMMIT');
        return result;
      } catch (e) {
        await helper.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        helper.release();
      }
    }, 'read');
  }

  conversationThemes(q: ThemesRequest): Promise<ConversationThemes> {
    return this.transaction((db) => conversationThemes(db, q), 'read');
  }

  serviceLevels(q: LevelsRequest): Promise<ServiceLevels> {
    return this.transaction((db) => serviceLevels(db, q), 'read');
  }

  /** Grouping every conversation is slow in a large workspace: kept until the data changes. */
  workspaceDirectory(): Promise<WorkspaceDirectory> {
    return this.untilChanged('directory', () => this.run((db) => workspaceDirectory(db)));
  }

  searchArticles(params: ArticleSearchParams): Promise<ArticlePage> {
    return this.transaction((db) => searchArticles(db, params), 'read');
  }

  searchContacts(text: string, limit: number): Promise<ContactSummary[]> {
    return this.run((db) => searchContacts(db, text, limit));
  }

  getContact(idOrEmail: string): Promise<ContactDetail | undefined> {
    return this.run((db) => getContact(db, idOrEmail));
  }

  protected async dataVersion(): Promise<string> {
    return this.run(async (db) => String((await db.query<{ n: number }>(DATA_VERSION)).rows[0]!.n));
  }

  /** One repeatable-read transaction: every count of the status from the same moment. */
  protected snapshot<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    return this.read((db) =>
      db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn),
    );
  }

  protected readonly schemaVersion = SCHEMA_VERSION;

  protected async sizeOnDisk(db: Kysely<SharedTables>): Promise<number> {
    const { sql } = kysely();
    const { rows } = await sql<{ n: string | null }>`SELECT sum(pg_total_relation_size(c.oid)) AS n
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = ${SCHEMA} AND c.relkind = 'r'`.execute(db);
    return Number(rows[0]!.n ?? 0);
  }

  /** A query of every table, so that a dropped or unreadable one is found before writing. */
  async assertIntact(): Promise<void> {
    const problems = await this.integrityProblems();
    if (problems.length)
      throw new StoreError(
        'corrupt',
        `The copy in the PostgreSQL database at ${this.location} is damaged (${problems[0]}): reset --yes and sync rebuild it.`,
      );
  }

  /**
   * PostgreSQL keeps its own pages consistent (checksums, WAL); what can go wrong here is a
   * schema changed by hand: every table must answer and the version must be this one's.
   */
  async integrityProblems(): Promise<string[]> {
    const problems: string[] = [];
    for (const table of TABLES) {
      try {
        await this.pool.query(`SELECT 1 FROM ${table} LIMIT 1`);
      } catch (e) {
        problems.push(`${table}: ${(e as Error).message}`);
      }
    }
    return problems;
  }

  async close(): Promise<void> {
    // Threads already handed to saveConversations are written before the connections go.
    await this.writingThreads;
    await this.releaseSyncLock().catch(() => undefined);
    await this.releaseLeadership().catch(() => undefined);
    await this.pool.end();
  }
}

/** A batch of queued saves, at most about BATCH_PARTS parts (a call's threads are never split). */
function takeBatch<T extends { items: ThreadWrite[] }>(queue: T[]): T[] {
  let parts = 0;
  let n = 0;
  while (n < queue.length && (n === 0 || parts < BATCH_PARTS)) {
    parts += queue[n]!.items.reduce((sum, i) => sum + i.parts.length + 1, 0);
    n++;
  }
  return queue.splice(0, n);
}
