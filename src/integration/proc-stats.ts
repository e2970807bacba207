/**
 * A child process's memory and CPU time as Linux reports them in /proc; null where there is no
 * /proc (macOS, Windows) or the process has gone, and the report then says "n/a".
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

function procFile(pid: number | null | undefined, name: string): string | null {
  if (pid === null || pid === undefined) return null;
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
}

/** Resident memory in MB: VmRSS now, or VmHWM, the peak so far. */
export function residentMb(pid: number | null | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  const kb = procFile(pid, 'status')?.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'))?.[1];
  return kb ? Number(kb) / 1024 : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds, user and system, used so far. */
export function cpuSeconds(pid: number | null | undefined): number | null {
  const stat = procFile(pid, 'stat');
  if (!stat) return null;
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Bytes the process has written (`wchar` of /proc/PID/io: every write call, its database and
 * write-ahead log included, whether or not the page cache later took it to disk; a tmpfs never
 * does, so `write_bytes` would say 0 there), or null.
 */
export function bytesWritten(pid: number | null | undefined): number | null {
  const n = procFile(pid, 'io')?.match(/^wchar:\s+(\d+)/m)?.[1];
  return n === undefined ? null : Number(n);
}
