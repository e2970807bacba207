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

const databaseFile = (workspaceDir: string) => join(workspaceDir, 'data.db');
const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`];

export function storeLocation(target: StoreTarget): StoreLocation {
  return target.databaseUrl
    ? { engine: 'postgres', description: `schema ${SCHEMA} in ${describeUrl(target.databaseUrl)}` }
    : { engine: 'sqlite', description: databaseFile(target.workspaceDir) };
}

export async function openStore(target: StoreTarget, opts: OpenOptions = {}): Promise<Store> {
  if (target.databaseUrl) {
    const { PostgresStore } = await postgres();
    return PostgresStore.open(target.databaseUrl, { connections: 2 + (opts.readers ?? 0) });
  }
  const { SqliteStore } = await sqlite();
  return new SqliteStore(databaseFile(target.workspaceDir), opts);
}

/** Whether a copy exists yet: opening one would create it. */
export async function storeExists(target: StoreTarget): Promise<boolean> {
  if (target.databaseUrl) return (await postgresLifecycle()).schemaExists(target.databaseUrl);
  return existsSync(databaseFile(target.workspaceDir));
}

/** The files on this machine that hold the copy: the SQLite file and its logs; none for PostgreSQL. */
export function storeFiles(target: StoreTarget): string[] {
  if (target.databaseUrl) return [];
  return companions(databaseFile(target.workspaceDir)).filter((f) => existsSync(f));
}

/** Deletes the copy; returns what it deleted, nothing when there was no copy. */
export async function deleteStore(target: StoreTarget): Promise<string[]> {
  if (target.databaseUrl)
    return (await (await postgresLifecycle()).dropSchema(target.databaseUrl))
      ? [storeLocation(target).description]
      : [];
  const files = storeFiles(target);
  for (const f of files) rmSync(f);
  return files;
}

/**
 * After the last close: whether everything written reached the database itself. On SQLite, the
 * WAL checkpointed; PostgreSQL's server owns its log, so a closed client leaves nothing behind.
 */
export function closedCleanly(target: StoreTarget): boolean {
  if (target.databaseUrl) return true;
  const wal = `${databaseFile(target.workspaceDir)}-wal`;
  return !existsSync(wal) || statSync(wal).size === 0;
}
