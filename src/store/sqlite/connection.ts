/**
 * Opening the SQLite file: pragmas, migrations, and turning SQLite's failures into StoreErrors that
 * say what happened and what to do, so no caller needs to know SQLite's error codes.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { newerSchemaError, StoreError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { fold } from '../text-match.js';

export function corruptError(path: string, what: string): StoreError {
  return new StoreError(
    'corrupt',
    `The database ${path} is damaged (${what}). Run \`fast-intercom-mcp status --check\` for details, then ` +
      '`fast-intercom-mcp reset --yes` and `fast-intercom-mcp sync` to rebuild it from Intercom.',
  );
}

/** Which file a path names: an open SQLite connection keeps writing to the file it opened. */
export function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

export function replacedError(path: string): StoreError {
  return new StoreError(
    'replaced',
    `The database ${path} was deleted or replaced while this process had it open. Nothing more is read from or ` +
      'written to the old file: restart fast-intercom-mcp to use the file that is there now (`reset` and `sync` rebuild a missing one).',
  );
}

export function translateSqliteError(e: unknown, path: string): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'locked',
      `The database ${path} is locked by another process (is a sync already running?).`,
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return corruptError(path, code);
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError(
      'disk_full',
      `The disk holding ${path} is full: free some space and run the sync again.`,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError(
      'read_only',
      `The database ${path} is read-only for this user: it answers queries but cannot be synced or changed. ` +
        'Sync from the account that owns the workspace, or make the workspace writable for this user.',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new StoreError('io', `Cannot read or write the database ${path} (${code}).`);
  }
  return e;
}

export interface OpenOptions {
  /** Pages kept in memory; the driver's default (16 MB) when absent. */
  cacheMb?: number;
  /** Open for reading only: nothing is created, tightened, migrated or written. */
  readOnly?: boolean;
}

/**
 * The database holds customer data: owner-only, whatever the umask or the directory it sits in.
 * SQLite gives the -wal and -shm files the database file's mode; older copies are tightened too.
 */
function restrictModes(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file)) chmodSync(file, 0o600);
    } catch {
      // Another user's file, read here through group or world access: the owner sets its mode.
    }
  }
}

/**
 * Pages of a new database, in bytes (an existing one keeps its own: SQLite changes it only by
 * rewriting the file). A part is a row of a WITHOUT ROWID table, whose rows keep at most about a
 * quarter of a page in place and spill the rest into overflow pages of their own: with 4 KB pages,
 * a body of a few KB left most of its last page empty, 103 MB of the 326 MB `parts` held at 100k
 * conversations (realistic bodies). With 8 KB pages a fresh sync of it is 542 MB, not 603, and reads
 * as fast; 16 KB saved 18 MB more but doubled what a sync writes (each page it touches is written
 * whole to the WAL and again to the file), 8 KB adds 40% (docs/performance.md).
 */
const PAGE_SIZE = 8192;

/** `shownPath` is the workspace's file when `path` is a private copy of it (read-only.ts). */
export function openDatabase(path: string, opts: OpenOptions = {}, shownPath = path): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (opts.readOnly) {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } else {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      restrictModes(path);
      db = new Database(path);
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (opts.cacheMb !== undefined) db.pragma(`cache_size = -${Math.round(opts.cacheMb * 1024)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw newerSchemaError(shownPath, version, SCHEMA_VERSION);
    if (opts.readOnly && version < SCHEMA_VERSION)
      throw new StoreError(
        'read_only',
        `The database ${shownPath} has schema version ${version}; this version of fast-intercom-mcp reads ${SCHEMA_VERSION}, ` +
          'and upgrading it needs write access. Run any command once as the workspace owner, then read it here.',
      );
    db.function('fim_fold', { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? fold(text) : null,
    );
    if (!opts.readOnly) migrate(db, version);
    return db;
  } catch (e) {
    db?.close();
    throw translateSqliteError(e, shownPath);
  }
}

function migrate(db: Database.Database, from: number): void {
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
