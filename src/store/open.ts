/**
 * Where a workspace's copy lives and how to open, find and delete it: the one place outside the
 * engine's own modules that knows which engine that is. The CLI, the server and the integration
 * report go through here, so that they neither build file names nor know about a write-ahead log.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReadPool } from './read-pool.js';
import { SqliteStore, type StoreOptions } from './sqlite-store.js';

export interface StoreLocation {
  /** Which engine holds the copy, for reports that say which one is in use. */
  engine: 'sqlite';
  /** What a user is told: where the copy is. */
  description: string;
}

const databaseFile = (workspaceDir: string) => join(workspaceDir, 'data.db');
const companions = (file: string) => [file, `${file}-wal`, `${file}-shm`];

export function storeLocation(workspaceDir: string): StoreLocation {
  return { engine: 'sqlite', description: databaseFile(workspaceDir) };
}

export function openStore(workspaceDir: string, opts: StoreOptions = {}): SqliteStore {
  return new SqliteStore(databaseFile(workspaceDir), opts);
}

/** Reader threads over the same copy, for long reads that must not hold the server's thread. */
export function openReadPool(workspaceDir: string, size: number): ReadPool {
  return new ReadPool(databaseFile(workspaceDir), size);
}

/** Whether a copy exists yet: opening one would create it. */
export function storeExists(workspaceDir: string): boolean {
  return existsSync(databaseFile(workspaceDir));
}

/** Deletes the copy; returns what it deleted, nothing when there was no copy. */
export function deleteStore(workspaceDir: string): string[] {
  const files = companions(databaseFile(workspaceDir)).filter((f) => existsSync(f));
  for (const f of files) rmSync(f);
  return files;
}

/** After the last close: whether everything written reached the database itself (WAL checkpointed). */
export function closedCleanly(workspaceDir: string): boolean {
  const wal = `${databaseFile(workspaceDir)}-wal`;
  return !existsSync(wal) || statSync(wal).size === 0;
}
