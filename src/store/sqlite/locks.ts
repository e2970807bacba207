/**
 * Process locks of a copy, across processes: the sync lock (one sync at a time) and the leadership
 * of the scheduled syncs (one server of several syncs on its timer). Each is a row of the database,
 * taken and checked in one write transaction, so that contenders (a CLI sync, a server's background
 * sync, several started in the same millisecond) are serialised by the database's own write lock
 * and exactly one wins. A row left by a process that died (kill -9) is taken over, on the same
 * host, when its pid is gone; a row from another host is never assumed dead.
 */
import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import type { Holder } from '../errors.js';

export type LockTable = 'sync_lock' | 'sync_leader';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const lockRow = (db: Database.Database, table: LockTable): Holder | undefined =>
  db.prepare(`SELECT pid, host, acquired_at AS since FROM ${table} WHERE id = 1`).get() as Holder | undefined;

const mine = (row: Holder) => row.pid === process.pid && row.host === hostname();

/** Held by another process: a live one here, or any on another host (which cannot be checked). */
const held = (row: Holder | undefined): row is Holder =>
  row !== undefined && !mine(row) && (row.host !== hostname() || alive(row.pid));

/** Takes the lock (or keeps it, if this process has it); else returns who holds it. */
export function takeLock(db: Database.Database, table: LockTable, at: number): Holder | undefined {
  return db
    .transaction(() => {
      const row = lockRow(db, table);
      if (held(row)) return row;
      if (row === undefined || !mine(row))
        db.prepare(`INSERT OR REPLACE INTO ${table} (id, pid, host, acquired_at) VALUES (1, ?, ?, ?)`).run(
          process.pid,
          hostname(),
          at,
        );
      return undefined;
    })
    .immediate();
}

export function releaseLock(db: Database.Database, table: LockTable): void {
  db.prepare(`DELETE FROM ${table} WHERE id = 1 AND pid = ? AND host = ?`).run(process.pid, hostname());
}

/** The live process holding the lock, this one included. */
export function lockHolder(db: Database.Database, table: LockTable): Holder | undefined {
  const row = lockRow(db, table);
  return row && (mine(row) || held(row)) ? row : undefined;
}

/** Whether this process holds the lock: its row is still there, not taken over. */
export function holdsLock(db: Database.Database, table: LockTable): boolean {
  const row = lockRow(db, table);
  return row !== undefined && mine(row);
}
