/**
 * The store's failures, the same for every engine: each engine turns its driver's errors into
 * these, with what happened and what to do, so no caller needs to know an engine's error codes.
 */
import { hostname } from 'node:os';

export type StoreErrorKind =
  | 'locked'
  | 'corrupt'
  | 'newer_schema'
  | 'disk_full'
  | 'io'
  | 'read_only'
  | 'replaced'
  | 'unreachable'
  | 'auth'
  | 'missing_database';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Who holds a copy's sync lock: a process on a host. */
export interface LockHolder {
  pid: number;
  host: string;
}

/** A lock's holder and when it took the lock, epoch seconds: for the sync leader, "leads since". */
export interface Holder extends LockHolder {
  since: number;
}

export class SyncAlreadyRunning extends Error {
  constructor(readonly holder: LockHolder) {
    super(
      `A sync is already running for this workspace (process ${holder.pid}${
        holder.host !== hostname() ? ` on ${holder.host}` : ''
      }).`,
    );
  }
}

export function newerSchemaError(where: string, found: number, known: number): StoreError {
  return new StoreError(
    'newer_schema',
    `The database ${where} has schema version ${found}, newer than this fast-intercom-mcp knows ` +
      `(${known}). Upgrade fast-intercom-mcp, or reset the database.`,
  );
}
