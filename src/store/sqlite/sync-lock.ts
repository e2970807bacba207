/**
 * One sync at a time per copy, across processes: the lock is a row of the database, taken and
 * checked in one write transaction, so that contenders (a CLI sync, a server's background sync,
 * several started in the same millisecond) are serialised by the database's own write lock and
 * exactly one wins. A row left by a process that died (kill -9) is taken over, on the same host,
 * when its pid is gone; a row from another host is never assumed dead.
 */
import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { SyncAlreadyRunning, type LockHolder } from '../errors.js';

type LockRow = LockHolder;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const lockRow = (db: Database.Database) =>
  db.prepare('SELECT pid, host FROM sync_lock WHERE id = 1').get() as LockRow | undefined;

const mine = (row: LockRow) => row.pid === process.pid && row.host === hostname();

/** Held by another process: a live one here, or any on another host (which cannot be checked). */
const held = (row: LockRow | undefined): row is LockRow =>
  row !== undefined && !mine(row) && (row.host !== hostname() || alive(row.pid));

export function acquireSyncLock(db: Database.Database, at: number): void {
  db.transaction(() => {
    const row = lockRow(db);
    if (held(row)) throw new SyncAlreadyRunning(row);
    db.prepare('INSERT OR REPLACE INTO sync_lock (id, pid, host, acquired_at) VALUES (1, ?, ?, ?)').run(
      process.pid,
      hostname(),
      at,
    );
  }).immediate();
}

export function releaseSyncLock(db: Database.Database): void {
  db.prepare('DELETE FROM sync_lock WHERE id = 1 AND pid = ? AND host = ?').run(process.pid, hostname());
}

/** The live process holding the lock, this one included. */
export function syncLockHolder(db: Database.Database): LockHolder | undefined {
  const row = lockRow(db);
  return row && (mine(row) || held(row)) ? { pid: row.pid, host: row.host } : undefined;
}
