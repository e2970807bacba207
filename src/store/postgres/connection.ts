/**
 * Connecting to PostgreSQL: a pool on the database FASTINTERCOM_DATABASE_URL names, every
 * connection on our schema, and the driver's failures turned into StoreErrors with one clear line
 * each (connection refused, wrong password, missing database, a full disk). The URL's password is
 * never shown: `describe` is what users and logs see.
 */
import pg from 'pg';
import { StoreError } from '../errors.js';
import { SCHEMA } from './migrations.js';

// BIGINT columns hold Unix seconds and counts, all far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function translatePgError(e: unknown, where: string): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: string }).code ?? '';
  const message = (e as Error).message ?? String(e);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT')
    return new StoreError(
      'unreachable',
      `Cannot reach PostgreSQL at ${where} (${code}): is the server running, and is FASTINTERCOM_DATABASE_URL's host and port right?`,
    );
  if (code === '28P01' || code === '28000')
    return new StoreError(
      'auth',
      `PostgreSQL at ${where} refused the user or password in FASTINTERCOM_DATABASE_URL (${code}).`,
    );
  if (code === '3D000')
    return new StoreError(
      'missing_database',
      `The database named in FASTINTERCOM_DATABASE_URL does not exist on ${where}: create it (createdb) or fix the URL.`,
    );
  if (code === '53100')
    return new StoreError('disk_full', `The disk holding the PostgreSQL database at ${where} is full.`);
  if (code === '40P01' || code === '55P03')
    return new StoreError('locked', `The PostgreSQL database at ${where} is locked by another process.`);
  if (code.startsWith('XX') || code === '58P01')
    return new StoreError(
      'corrupt',
      `The PostgreSQL database at ${where} reported damage (${code}): ${message}`,
    );
  // A table, column, function or text search configuration of the schema gone: changed by hand.
  if (['42P01', '42703', '42883', '42704'].includes(code))
    return new StoreError(
      'corrupt',
      `The copy in the PostgreSQL database at ${where} is damaged (${message}): reset --yes and sync rebuild it.`,
    );
  if (/Connection terminated|ECONNRESET/.test(message) || code === '57P01' || code === '57P03')
    return new StoreError('unreachable', `The connection to PostgreSQL at ${where} was lost: ${message}`);
  return e;
}

/**
 * Runs a write transaction again when PostgreSQL chose it as a deadlock's victim (40P01), as its
 * manual advises: the victim was rolled back whole, so running it again is safe, and the other
 * writer has gone ahead. Concurrent passes of one sync (contacts, companies, conversations) touch
 * overlapping rows; their writes lock in key order to make this rare, not impossible.
 */
export async function retryingDeadlocks<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      if ((e as { code?: string }).code !== '40P01' || tries >= DEADLOCK_TRIES) throw e;
    }
  }
}

const DEADLOCK_TRIES = 4;

const connectionConfig = (url: string) => ({
  connectionString: url,
  connectionTimeoutMillis: 10_000,
  options: `-c search_path=${SCHEMA},public`,
  application_name: 'fast-intercom-mcp',
});

export function createPool(url: string, size: number): pg.Pool {
  // Kept open while idle (min = max): a connection opened for an answer costs it milliseconds.
  const pool = new pg.Pool({ ...connectionConfig(url), max: size, min: size, idleTimeoutMillis: 30_000 });
  // An idle connection that the server drops is replaced on the next query, not a crash.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A connection of its own, outside the pool, for a session lock: a query that gets no answer
 * within `queryTimeoutMs` (a cut network) fails instead of waiting for TCP to give up.
 */
export function createClient(url: string, queryTimeoutMs: number): pg.Client {
  return new pg.Client({ ...connectionConfig(url), query_timeout: queryTimeoutMs, keepAlive: true });
}

/** What a query needs: the pool itself, or one connection inside a transaction. */
export type Db = Pick<pg.ClientBase, 'query'>;
