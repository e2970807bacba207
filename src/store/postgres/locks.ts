/**
 * A lock this process holds for as long as it lives: a session advisory lock on a connection of
 * its own, which the server drops when the connection ends (a crash, kill -9), so no stale lock
 * outlives its holder on any machine. A holder that hangs, or whose network is cut, leaves a
 * connection the server cannot tell from a quiet one; so the session pings itself and asks the
 * server to end it once idle for IDLE_LIMIT: a frozen holder loses the lock within that time, and
 * a holder whose ping fails knows it has lost it. Who holds it is also kept in a row, for status
 * and messages.
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Holder } from '../errors.js';
import type { ProcessLock } from '../shared/shared-store.js';
import { createClient, translatePgError, type Db } from './connection.js';

const PING_MS = 5000;
const IDLE_LIMIT = '15s';

export type LockTable = 'sync_lock' | 'sync_leader';

export class SessionLock implements ProcessLock {
  private client: pg.Client | undefined;
  private ping: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly location: string,
    private readonly key: string,
    private readonly table: LockTable,
    /** Where others ask who holds it. */
    private readonly pool: Db,
  ) {}

  /** Takes the lock (or keeps it, if this process has it); else says who holds it. */
  async take(): Promise<Holder | undefined> {
    if (this.client) return undefined;
    const client = createClient(this.url, PING_MS);
    client.on('error', () => this.drop(client));
    try {
      await client.connect();
      await client.query(`SET idle_session_timeout = '${IDLE_LIMIT}'`);
      const got = (
        await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.key])
      ).rows[0]!.ok;
      if (!got) {
        const holder = await this.holder(client);
        await client.end();
        return holder ?? { pid: 0, host: 'another server', since: 0 };
      }
      await client.query(
        `INSERT INTO ${this.table} (id, pid, host, acquired_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at`,
        [process.pid, hostname(), Math.floor(Date.now() / 1000)],
      );
    } catch (e) {
      await client.end().catch(() => undefined);
      throw translatePgError(e, this.location);
    }
    this.client = client;
    this.ping = setInterval(() => void this.confirm(), PING_MS);
    this.ping.unref();
    return undefined;
  }

  /** Whether this process still holds the lock: its session answers. */
  async confirm(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      await client.query('SELECT 1');
      return true;
    } catch {
      this.drop(client);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.forget();
    try {
      await client.query(`DELETE FROM ${this.table} WHERE id = 1 AND pid = $1 AND host = $2`, [
        process.pid,
        hostname(),
      ]);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.key]);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Whoever holds the lock: asked by trying it (in one round trip), so a crashed holder is nobody. */
  async holder(db: Db = this.pool): Promise<Holder | undefined> {
    const row = (
      await db
        .query<{ free: boolean; holder: { pid: number; host: string; acquired_at: number } | null }>(
          `SELECT ${this.client ? 'false' : 'pg_try_advisory_xact_lock(hashtext($1))'} AS free,
           (SELECT row_to_json(r) FROM (SELECT pid, host, acquired_at FROM ${this.table} WHERE id = 1) r) AS holder`,
          this.client ? [] : [this.key],
        )
        .catch((e: unknown) => {
          throw translatePgError(e, this.location);
        })
    ).rows[0]!;
    if (row.free) return undefined;
    return row.holder
      ? { pid: row.holder.pid, host: row.holder.host, since: Number(row.holder.acquired_at) }
      : { pid: 0, host: 'another server', since: 0 };
  }

  private forget(): void {
    this.client = undefined;
    clearInterval(this.ping);
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.forget();
    void client.end().catch(() => undefined);
  }
}
