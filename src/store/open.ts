/**
 * Where a workspace's copy lives and how to open, find and delete it: the one place that picks the
 * engine. FASTINTERCOM_DATABASE_URL (`postgres://…`) names a PostgreSQL database; unset, the copy
 * is the SQLite file in the workspace. The CLI, the server and the integration report go through
 * here, so that they neither build file names nor know about a write-ahead log or a schema.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA } from './postgres/migrations.js';
import { describeUrl } from './postgres/url.js';
import type { EngineName, Store } from './types.js';

/** The passwords a copy's URL holds: what a command's error line must never show. */
export { urlPasswords as storeSecrets } from './postgres/url.js';

// Each engine is loaded only when a copy on it is opened: a process uses one, and the other's
// driver would only add to its memory (the one-shot sync has a target).
const postgres = () => import('./postgres/store.js');
const postgresLifecycle = () => import('./postgres/lifecycle.js');
const sqlite = () => import('./sqlite/store.js');

/** Which copy: the workspace's file, unless a database URL names another. */
export interface StoreTarget {
  workspaceDir: string;
  databaseUrl?: string | undefined;
}

export interface OpenOptions {
  /** Memory the engine may keep for pages it has read, in MB (SQLite); its default when absent. */
  cacheMb?: number;
  /** Connections or threads for long reads, so one heavy question does not hold the others. */
  readers?: number;
  /** Only to read (SQLite): nothing created, migrated or written, whoever may write the file. */
  readOnly?: boolean;
}

export interface StoreLocation {
  /** Which engine holds the copy, for reports that say which one is in use. */
  engine: EngineName;
  /** What a user is told: where the copy is (never a password). */
  description: string;
}

/**
 * An engine as the rest of the code sees it: what it can do, how it is named, and how a copy on it
 * is opened, found and deleted. Callers read these instead of asking which engine they have.
 */
export interface Engine {
  readonly name: EngineName;
  /** Its name as people read it. */
  readonly label: string;
  /** The copy is files in the workspace (SQLite), not a database on a server. */
  readonly localFiles: boolean;
  /** It loads a compiled module (better-sqlite3), which must match this Node.js. */
  readonly nativeModule: boolean;
  /** Its integrity check, as a report names it. */
  readonly integrityCheck: string;
  /** What a clean close leaves, as a report says it. */
  readonly closedNote: string;
  describe(target: StoreTarget): string;
  open(target: StoreTarget, opts: OpenOptions): Promise<Store>;
  exists(target: StoreTarget): Promise<boolean>;
  /** The files on this machine that hold the copy. */
  files(target: StoreTarget): string[];
  /** Deletes the copy; returns what it deleted, nothing when there was no copy. */
  drop(target: StoreTarget): Promise<string[]>;
  /** After the last close: whether everything written reached the database itself. */
  closedCleanly(target: StoreTarget): boolean;
}

const databaseFile = (workspaceDir: string) => join(workspaceDir, 'data.db');
const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`];

const SQLITE: Engine = {
  name: 'sqlite',
  label: 'SQLite',
  localFiles: true,
  nativeModule: true,
  integrityCheck: 'SQLite integrity_check',
  closedNote: 'Closed properly (WAL checkpointed)',
  describe: (target) => databaseFile(target.workspaceDir),
  async open(target, opts) {
    const { SqliteStore } = await sqlite();
    return new SqliteStore(databaseFile(target.workspaceDir), opts);
  },
  exists: async (target) => existsSync(databaseFile(target.workspaceDir)),
  files: (target) => companions(databaseFile(target.workspaceDir)).filter((f) => existsSync(f)),
  async drop(target) {
    const files = SQLITE.files(target);
    for (const f of files) rmSync(f);
    return files;
  },
  closedCleanly(target) {
    const wal = `${databaseFile(target.workspaceDir)}-wal`;
    return !existsSync(wal) || statSync(wal).size === 0;
  },
};

/** Its targets always carry a database URL: engineOf gives this engine only those. */
const url = (target: StoreTarget) => target.databaseUrl!;

const POSTGRES: Engine = {
  name: 'postgres',
  label: 'PostgreSQL',
  localFiles: false,
  nativeModule: false,
  integrityCheck: 'PostgreSQL integrity check',
  // Its server owns its log: a closed client leaves nothing behind.
  closedNote: 'Closed properly (connections released)',
  describe: (target) => `schema ${SCHEMA} in ${describeUrl(url(target))}`,
  async open(target, opts) {
    const { PostgresStore } = await postgres();
    return PostgresStore.open(url(target), { connections: 2 + (opts.readers ?? 0) });
  },
  exists: async (target) => (await postgresLifecycle()).schemaExists(url(target)),
  files: () => [],
  drop: async (target) =>
    (await (await postgresLifecycle()).dropSchema(url(target))) ? [POSTGRES.describe(target)] : [],
  closedCleanly: () => true,
};

const ENGINES: Record<EngineName, Engine> = { sqlite: SQLITE, postgres: POSTGRES };

/** The engine a copy is on: PostgreSQL when a database URL names one, else the workspace's file. */
export const engineOf = (target: StoreTarget): Engine => (target.databaseUrl ? POSTGRES : SQLITE);

/** The engine an open store is on. */
export const engineNamed = (name: EngineName): Engine => ENGINES[name];

export function storeLocation(target: StoreTarget): StoreLocation {
  const engine = engineOf(target);
  return { engine: engine.name, description: engine.describe(target) };
}

export const openStore = (target: StoreTarget, opts: OpenOptions = {}): Promise<Store> =>
  engineOf(target).open(target, opts);
