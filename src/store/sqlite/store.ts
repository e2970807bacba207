/**
 * The SQLite engine: one embedded file in the workspace, WAL, FTS5. better-sqlite3 is synchronous,
 * so the async face here runs each call to completion on the caller's thread, except the long
 * reads, which go to reader threads when the store is opened with some (see read-pool.ts).
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { StoreError } from '../errors.js';
import { SharedStore } from '../shared/shared-store.js';
import type { SharedTables } from '../shared/tables.js';
import { contactKeys } from '../text-match.js';
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
  LevelsRequest,
  SearchPage,
  SearchParams,
  ServiceLevels,
  StatsRequest,
  ThemesRequest,
  Store,
  SyncStore,
  WorkspaceDirectory,
} from '../types.js';
import { searchArticles } from './article-search.js';
import { ticketText } from './ticket-text.js';
import { ConversationReader } from './reader.js';
import { ConversationSearch } from './search.js';
import { ConversationWriter } from './writer.js';
import {
  corruptError,
  fileIdentity,
  openDatabase,
  replacedError,
  translateSqliteError,
} from './connection.js';
import {
  conversationStats,
  conversationThemes,
  serviceLevels,
  getContact,
  searchContacts,
  workspaceDirectory,
} from './insights.js';
import { SCHEMA_VERSION } from './migrations.js';
import { ReadPool, type LongRead } from './read-pool.js';
import { mustOpenReadOnly, readableCopy, type ReadableCopy } from './read-only.js';
import { RowLock } from './locks.js';

export interface SqliteOptions {
  /**
   * Memory each connection (the store's and each reader's) may keep for data it has read, in MB.
   * Left to the engine when absent. The one-shot sync and the server, which have memory targets,
   * pass small figures (see their callers for why).
   */
  cacheMb?: number;
  /** Reader threads for the long reads; none runs them on the caller's thread. */
  readers?: number;
  /** Open for reading only; by default, when this user cannot write the file or its directory. */
  readOnly?: boolean;
}

export class SqliteStore extends SharedStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly db: Database.Database;
  readonly writable: boolean;
  private readonly copy: ReadableCopy | undefined;
  private readonly writer: ConversationWriter;
  private readonly reader: ConversationReader;
  private readonly searcher: ConversationSearch;
  private readonly pool: ReadPool | undefined;
  protected readonly ticketText = ticketText;
  protected readonly syncLock: RowLock;
  protected readonly leaderLock: RowLock;

  constructor(
    readonly path: string,
    opts: SqliteOptions = {},
  ) {
    super();
    this.writable = !(opts.readOnly ?? mustOpenReadOnly(path));
    this.copy = this.writable ? undefined : readableCopy(path);
    const opened = this.copy?.path ?? path;
    try {
      this.db = openDatabase(opened, { ...opts, readOnly: !this.writable }, path);
    } catch (e) {
      this.copy?.dispose();
      throw e;
    }
    this.identity = fileIdentity(path);
    this.writer = this.guard(() => new ConversationWriter(this.db));
    this.reader = this.guard(() => new ConversationReader(this.db));
    this.searcher = new ConversationSearch(this.db);
    this.syncLock = new RowLock(this.db, 'sync_lock', (fn) => this.guard(fn));
    this.leaderLock = new RowLock(this.db, 'sync_leader', (fn) => this.guard(fn));
    this.pool = opts.readers
      ? new ReadPool(opened, opts.readers, { readOnly: !this.writable, cacheMb: opts.cacheMb })
      : undefined;
  }

  get location(): string {
    return this.path;
  }

  /** On a reader thread when the store has some; `here` is the same read on this thread. */
  private long<K extends LongRead>(method: K, args: Parameters<SqliteStore[K]>, here: () => unknown) {
    return (this.pool ? this.pool.call(method, args) : Promise.resolve().then(here)) as ReturnType<
      SqliteStore[K]
    >;
  }

  searchConversations(params: SearchParams): Promise<SearchPage> {
    // One read transaction: the count, the page and its rows come from the same snapshot while a
    // sync writes.
    return this.long('searchConversations', [params], () =>
      this.guard(() => this.db.transaction(() => this.searcher.search(params))()),
    );
  }

  /**
   * Every named admin, team and tag with how many live conversations each holds (open ones too).
   * Grouping every conversation is slow in a large workspace, so it is kept until the data changes,
   * as the status is.
   */
  workspaceDirectory(): Promise<WorkspaceDirectory> {
    return this.long('workspaceDirectory', [], () =>
      this.untilChanged('directory', async () =>
        this.guard(() => this.db.transaction(() => workspaceDirectory(this.db))()),
      ),
    );
  }

  conversationStats(q: StatsRequest): Promise<ConversationStats> {
    return this.long('conversationStats', [q], () =>
      this.guard(() =>
        this.db.transaction(() =>
          conversationStats(this.db, { ...q, where: this.searcher.conditions(q.filters) }),
        )(),
      ),
    );
  }

  conversationThemes(q: ThemesRequest): Promise<ConversationThemes> {
    return this.long('conversationThemes', [q], () =>
      this.guard(() =>
        this.db.transaction(() =>
          conversationThemes(this.db, { ...q, where: this.searcher.conditions(q.filters) }),
        )(),
      ),
    );
  }

  serviceLevels(q: LevelsRequest): Promise<ServiceLevels> {
    return this.long('serviceLevels', [q], () =>
      this.guard(() =>
        this.db.transaction(() =>
          serviceLevels(this.db, { ...q, where: this.searcher.conditions(q.filters) }),
        )(),
      ),
    );
  }

  searchArticles(params: ArticleSearchParams): Promise<ArticlePage> {
    return this.long('searchArticles', [params], () => this.guard(() => searchArticles(this.db, params)));
  }

  searchContacts(text: string, limit: number): Promise<ContactSummary[]> {
    return this.long('searchContacts', [text, limit], () =>
      this.guard(() => searchContacts(this.db, text, limit)),
    );
  }

  getContact(idOrEmail: string): Promise<ContactDetail | undefined> {
    return this.long('getContact', [idOrEmail], () => this.guard(() => getContact(this.db, idOrEmail)));
  }

  async getConversation(id: string): Promise<ConversationView | undefined> {
    return this.guard(() => this.db.transaction(() => this.reader.get(id))());
  }

  /** The file this connection opened: another one at the path means it was deleted or replaced. */
  private readonly identity: string | undefined;

  /**
   * Runs a database operation, turning SQLite failures into StoreErrors with advice. A file
   * deleted or replaced under this process is refused first (a stat costs next to nothing), rather than
   * answered from or written into a file nobody else can see any more.
   */
  guard<T>(fn: () => T): T {
    this.refuseReplaced();
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  private refuseReplaced(): void {
    if (fileIdentity(this.path) !== this.identity) throw replacedError(this.path);
  }

  /**
   * Each statement of a shared write commits on its own: a transaction held across awaits on this
   * one connection would take in whatever else the process writes meanwhile.
   */
  protected async write<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /** The queries written once for both engines run on this store's own connection. */
  protected dialect(k: typeof import('kysely')) {
    return new k.SqliteDialect({ database: this.db });
  }

  protected async read<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    this.refuseReplaced();
    try {
      return await fn(this.queries());
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  /**
   * A backfill leaves the full-text index in many segments, and every match is then read from
   * each: merged into one, it is read once (docs/performance.md). Readers go on meanwhile (WAL),
   * however long the merge of a large workspace takes.
   */
  protected async afterLargeRun(): Promise<void> {
    this.guard(() => {
      this.db.prepare("INSERT INTO conversations_fts(conversations_fts) VALUES ('optimize')").run();
      // A server that synced a new copy keeps it open for days: without statistics until it
      // closes, the planner takes `deleted_at IS NULL` for a selective condition.
      this.refreshStatistics();
    });
  }

  private refreshStatistics(): void {
    this.db.pragma('analysis_limit = 400');
    this.db.pragma('optimize');
  }

  /**
   * Statistics are refreshed on close, after writes, as SQLite advises: gathered at open on an
   * empty database they would describe empty tables, and the planner would keep scanning by them.
   */
  async close(): Promise<void> {
    await this.pool?.close();
    if (!this.db.open) return;
    try {
      if (!this.db.readonly) this.refreshStatistics();
    } catch {
      // Best effort: a damaged or locked file is reported by whatever used the store, not here.
    } finally {
      this.db.close();
      this.copy?.dispose();
    }
  }

  async saveConversations(items: Parameters<SyncStore['saveConversations']>[0]): Promise<void> {
    this.guard(() =>
      this.db
        .transaction(() => {
          for (const item of items) this.writer.write(item.conversation, item.parts);
        })
        .immediate(),
    );
  }

  async applyMetadata(items: ConversationMetadata[]): Promise<void> {
    this.guard(() =>
      this.db
        .transaction(() => {
          for (const item of items) this.writer.applyMetadata(item);
        })
        .immediate(),
    );
  }

  async markDeleted(ids: string[], at: number): Promise<void> {
    this.guard(() =>
      this.db
        .transaction(() => {
          const find = this.db.prepare('SELECT rid FROM conversations WHERE id = ? AND deleted_at IS NULL');
          const mark = this.db.prepare('UPDATE conversations SET deleted_at = ? WHERE rid = ?');
          // A deleted conversation leaves the themes' terms, which hold live conversations only.
          const unterm = this.db.prepare('DELETE FROM conversation_terms WHERE rid = ?');
          for (const id of ids) {
            const row = find.get(id) as { rid: number } | undefined;
            if (!row) continue;
            mark.run(at, row.rid);
            unterm.run(row.rid);
            this.writer.removeFromIndex(row.rid);
          }
        })
        .immediate(),
    );
  }

  /**
   * Saves contacts and re-indexes the conversations that name the new or changed ones, so search
   * finds them by name. A contact saved again as it was (a company's contacts, read daily) is left
   * alone: re-indexing every conversation of every contact read blocked the sync for seconds.
   */
  async saveContacts(contacts: ContactRecord[]): Promise<void> {
    const stmt = this.db.prepare(`
      INSERT INTO contacts (id, role, name, email, external_id, created_at, name_key, email_key)
      VALUES (@id, @role, @name, @email, @externalId, @createdAt, @nameKey, @emailKey)
      ON CONFLICT(id) DO UPDATE SET role = excluded.role, name = excluded.name, email = excluded.email,
        external_id = excluded.external_id, created_at = excluded.created_at,
        name_key = excluded.name_key, email_key = excluded.email_key
      WHERE (contacts.role, contacts.name, contacts.email, contacts.external_id, contacts.created_at)
        IS NOT (excluded.role, excluded.name, excluded.email, excluded.external_id, excluded.created_at)
      RETURNING id`);
    const linked = this.db.prepare(
      'SELECT DISTINCT conversation_rid AS rid FROM conversation_contacts WHERE contact_id IN (SELECT value FROM json_each(?))',
    );
    this.guard(() =>
      this.db
        .transaction(() => {
          const changed = contacts.filter((c) => stmt.get({ ...c, ...contactKeys(c) }) !== undefined);
          if (changed.length === 0) return;
          for (const { rid } of linked.all(JSON.stringify(changed.map((c) => c.id))) as { rid: number }[]) {
            this.writer.index(rid);
          }
        })
        .immediate(),
    );
  }

  protected readonly schemaVersion = SCHEMA_VERSION;

  /** The file and its write-ahead log. */
  protected async sizeOnDisk(): Promise<number> {
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return size(this.path) + size(`${this.path}-wal`);
  }

  /** Other connections' commits move `data_version`, this one's writes `total_changes()`: both O(1). */
  protected async dataVersion(): Promise<string> {
    return this.guard(
      () =>
        `${this.db.pragma('data_version', { simple: true }) as number}:${this.db.prepare('SELECT total_changes()').pluck().get() as number}`,
    );
  }

  /** Reads here run one statement at a time on the store's own connection (see write). */
  protected snapshot<T>(fn: (db: Kysely<SharedTables>) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /**
   * Refuses a damaged file before anything is written into it. quick_check reads every page, so
   * one-shot syncs run it, not every background sync.
   */
  async assertIntact(): Promise<void> {
    const problems = this.guard(() => this.db.pragma('quick_check') as { quick_check: string }[])
      .map((r) => r.quick_check)
      .filter((m) => m !== 'ok');
    if (problems.length) throw corruptError(this.path, `quick_check: ${problems[0]}`);
  }

  /** `PRAGMA integrity_check`: empty when the file is sound, else SQLite's findings. */
  async integrityProblems(): Promise<string[]> {
    try {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    } catch (e) {
      const translated = translateSqliteError(e, this.path);
      return [translated instanceof StoreError ? translated.message : String(e)];
    }
  }
}
