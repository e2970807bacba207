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
import type { ProcessLock } from '../shared/shared-store.js';

type LockTable = 'sync_lock' | 'sync_leader';

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

/** A lock row of the copy, each call run through the store's guard (its errors, a replaced file). */
export class RowLock implements ProcessLock {
  constructor(
    private readonly db: Database.Database,
    private readonly table: LockTable,
    private readonly guard: <T>(fn: () => T) => T,
  ) {}

  async take(): Promise<Holder | undefined> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const row = lockRow(this.db, this.table);
          if (held(row)) return row;
          if (row === undefined || !mine(row))
            this.db
              .prepare(
                `INSERT OR REPLACE INTO ${this.table} (id, pid, host, acquired_at) VALUES (1, ?, ?, ?)`,
              )
              .run(process.pid, hostname(), Math.floor(Date.now() / 1000));
          return undefined;
        })
        .immediate(),
    );
  }

  async release(): Promise<void> {
    this.guard(() =>
      this.db
        .prepare(`DELETE FROM ${this.table} WHERE id = 1 AND pid = ? AND host = ?`)
        .run(process.pid, hostname()),
    );
  }

  async holder(): Promise<Holder | undefined> {
    const row = this.guard(() => lockRow(this.db, this.table));
    return row && (mine(row) || held(row)) ? row : undefined;
  }

  /** Its row is still this process's, not taken over. */
  async confirm(): Promise<boolean> {
    const row = this.guard(() => lockRow(this.db, this.table));
    return row !== undefined && mine(row);
  }
}
