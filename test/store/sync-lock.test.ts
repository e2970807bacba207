import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempWorkspace } from '../helpers/cli.js';

const CONTENDER = fileURLToPath(new URL('../helpers/lock-contender.js', import.meta.url));

function contender(file: string, startAt: number, holdMs: number, mode?: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [CONTENDER, file, String(startAt), String(holdMs), ...(mode ? [mode] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out.trim())));
}

describe('the sync lock', () => {
  it('of many processes that meet a stale lock at the same moment, exactly one takes it', async () => {
    const file = join(tempWorkspace(), 'data.db');
    new SqliteStore(file).close();
    for (let round = 0; round < 3; round++) {
      assert.equal(await contender(file, 0, 0, '--crash'), '', 'the crashed holder printed nothing');
      const probe = new SqliteStore(file);
      assert.equal(probe.syncLockHolder(), undefined, 'a lock whose process died is nobody’s');
      probe.close();
      // Started together, released together: every contender opens its store first, then all
      // try the lock in the same millisecond.
      const startAt = Date.now() + 1500;
      const results = await Promise.all(Array.from({ length: 8 }, () => contender(file, startAt, 1500)));
      assert.deepEqual(
        results.slice().sort(),
        ['refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'won'],
        `round ${round}: ${results.join(', ')}`,
      );
    }
  });

  it('is held by the process, seen from any of its stores, until released', () => {
    const file = join(tempWorkspace(), 'data.db');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    try {
      assert.equal(b.syncLockHolder(), undefined);
      a.acquireSyncLock();
      assert.equal(b.syncLockHolder(), process.pid);
      a.releaseSyncLock();
      assert.equal(b.syncLockHolder(), undefined);
    } finally {
      a.close();
      b.close();
    }
  });
});
