/**
 * As root, some tests run programs as another user (PostgreSQL as `postgres`, the CLI as `nobody`),
 * who must be able to reach what runs: a clone under a 0700 directory (`mktemp -d`, /root/src)
 * hides it. These give that user a copy in the temporary directory, readable by all and removed
 * as this process exits: hard links where the file system allows (no space, no time), a copy where
 * it does not.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Whether any user can reach `path`: every folder above it searchable by others, itself readable. */
export function reachableByAll(path: string): boolean {
  const full = resolve(path);
  for (let dir = dirname(full); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) break;
  }
  return (statSync(full).mode & 0o004) !== 0;
}

/** Folders 0755, files readable by all, and runnable by all where their owner may run them. */
export function openToAll(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openToAll(join(path, entry));
    return;
  }
  // A hard link shares its file's mode: only a file others cannot read already is changed.
  const wanted = (stat.mode & 0o777) | 0o444 | (stat.mode & 0o100 ? 0o111 : 0);
  if ((stat.mode & 0o777) !== wanted) chmodSync(path, wanted);
}

/**
 * A folder of the temporary directory that holds `entries` (each [source, name inside the copy]),
 * reachable by every user. Removed when this process exits.
 */
export function reachableCopy(prefix: string, entries: [string, string][]): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(copy, { recursive: true, force: true }));
  for (const [source, name] of entries) {
    const target = join(copy, name);
    mkdirSync(dirname(target), { recursive: true });
    try {
      execFileSync('cp', ['-al', source, target], { stdio: 'ignore' });
    } catch {
      cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    }
  }
  openToAll(copy);
  return copy;
}
