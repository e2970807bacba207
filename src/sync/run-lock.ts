/**
 * One sync at a time per workspace, across processes: a lock file holding the owner's pid. A lock
 * left by a process that died (kill -9) is taken over, so a crash never blocks the next sync.
 */
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';

export class SyncAlreadyRunning extends Error {
  constructor(readonly pid: number) {
    super(`A sync is already running for this workspace (process ${pid}).`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunLock {
  private constructor(private readonly path: string) {}

  static acquire(path: string): RunLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new RunLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(readFileSync(path, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
          throw new SyncAlreadyRunning(pid);
        unlinkSync(path);
      }
    }
    throw new Error(`Cannot take the sync lock ${path}`);
  }

  /** The pid of a live process holding the lock, if one does. */
  static holder(path: string): number | undefined {
    let pid: number;
    try {
      pid = Number(readFileSync(path, 'utf8').trim());
    } catch {
      return undefined;
    }
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
