/**
 * A copy this user may read but not write: a workspace owned by another account, a backup, a
 * read-only mount; or one a command opens only to read. SQLite in WAL mode needs its `-shm` file to
 * read; when that is absent and cannot be created beside the database, the file (and any write-ahead log) is copied to a private temporary
 * directory, opened read-only there, and removed at close. No live writer can be tearing the copy:
 * a writer keeps `-shm` in place while it has the file open, and then the file is read where it is.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writable } from '../../fs-access.js';

/** Whether this process must not write: the database (or the directory that would hold it) is not writable. */
export function mustOpenReadOnly(path: string): boolean {
  const dir = dirname(path);
  if (!existsSync(dir)) return false;
  if (existsSync(path)) return !writable(path) || !writable(dir);
  return !writable(dir);
}

export interface ReadableCopy {
  /** What to open: the database itself, or a private copy of it. */
  path: string;
  dispose: () => void;
}

export function readableCopy(path: string): ReadableCopy {
  if (existsSync(`${path}-shm`) || writable(dirname(path))) return { path, dispose: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'fim-read-only-'));
  const copy = join(dir, 'data.db');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  } catch (e) {
    dispose();
    throw e;
  }
  process.once('exit', dispose);
  return { path: copy, dispose };
}
