import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { ENGINES } from '../helpers/engines.js';

const CONTENDER = fileURLToPath(new URL('../helpers/lock-contender.js', import.meta.url));

function contender(target: StoreTarget, startAt: number, holdMs: number, mode?: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [CONTENDER, JSON.stringify(target), String(startAt), String(holdMs), ...(mode ? [mode] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out.trim())));
}

for (const engine of ENGINES)
  describe(`the sync lock (${engine.name})`, () => {
    it('of many processes that meet a stale lock at the same moment, exactly one takes it', async () => {
      const target = await engine.fresh();
      await (await openStore(target)).close();
      for (let round = 0; round < 3; round++) {
        assert.equal(await contender(target, 0, 0, '--crash'), '', 'the crashed holder printed nothing');
        const probe = await openStore(target);
        assert.equal(await probe.syncLockHolder(), undefined, 'a lock whose process died is nobody’s');
        await probe.close();
        // Started together, released together: every contender opens its store first, then all
        // try the lock in the same millisecond.
        const startAt = Date.now() + 1500;
        const results = await Promise.all(Array.from({ length: 8 }, () => contender(target, startAt, 1500)));
        assert.deepEqual(
          results.slice().sort(),
          ['refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'won'],
          `round ${round}: ${results.join(', ')}`,
        );
      }
    });

    it('is held by the process, seen from any of its stores, until released', async () => {
      const target = await engine.fresh();
      const a = await openStore(target);
      const b = await openStore(target);
      try {
        assert.equal(await b.syncLockHolder(), undefined);
        await a.acquireSyncLock();
        assert.deepEqual(await b.syncLockHolder(), { pid: process.pid, host: hostname() });
        await a.releaseSyncLock();
        assert.equal(await b.syncLockHolder(), undefined);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('leads the scheduled syncs: one of many claimants, none after its holder dies', async () => {
      const target = await engine.fresh();
      await (await openStore(target)).close();
      assert.equal(await contender(target, 0, 0, '--lead-crash'), '', 'the crashed leader printed nothing');
      const probe = await openStore(target);
      try {
        assert.equal(await probe.syncLeader(), undefined, 'a leader whose process died leads nothing');
        const startAt = Date.now() + 1500;
        const results = await Promise.all(
          Array.from({ length: 6 }, () => contender(target, startAt, 1500, '--lead')),
        );
        assert.deepEqual(results.slice().sort(), [
          'refused',
          'refused',
          'refused',
          'refused',
          'refused',
          'won',
        ]);
        assert.equal(await probe.syncLeader(), undefined, 'released when its holder let go');
      } finally {
        await probe.close();
      }
    });

    it('names the leader and since when to every store, until it lets go', async () => {
      const target = await engine.fresh();
      const a = await openStore(target);
      const b = await openStore(target);
      try {
        const before = Math.floor(Date.now() / 1000);
        assert.equal(await a.stillLeading(), false);
        assert.equal(await a.claimLeadership(), true);
        assert.equal(await a.claimLeadership(), true, 'claiming again keeps it');
        assert.equal(await a.stillLeading(), true);
        const leader = await b.syncLeader();
        assert.deepEqual({ pid: leader?.pid, host: leader?.host }, { pid: process.pid, host: hostname() });
        assert.ok(leader!.since >= before && leader!.since <= before + 5, `since ${leader!.since}`);
        assert.equal(await a.syncLockHolder(), undefined, 'leading is not syncing');
        await a.releaseLeadership();
        assert.equal(await a.stillLeading(), false);
        assert.equal(await b.syncLeader(), undefined);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

describe('the sync leadership on PostgreSQL, when its holder freezes', () => {
  it('is lost within about 20 s by a leader that stops answering (SIGSTOP), and taken by another', async () => {
    const postgres = ENGINES.find((e) => e.name === 'postgres')!;
    const target = await postgres.fresh();
    await (await openStore(target)).close();
    const child = spawn(process.execPath, [CONTENDER, JSON.stringify(target), '0', '120000', '--lead'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('close', resolve));
    const probe = await openStore(target);
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      assert.equal((await probe.syncLeader())?.pid, child.pid, 'the contender leads');
      assert.equal(await probe.claimLeadership(), false);
      child.kill('SIGSTOP');
      const frozenAt = Date.now();
      while (!(await probe.claimLeadership()) && Date.now() - frozenAt < 40_000)
        await new Promise((r) => setTimeout(r, 500));
      const after = (Date.now() - frozenAt) / 1000;
      assert.ok(after <= 25, `taken over ${after.toFixed(1)} s after the leader froze`);
      assert.equal((await probe.syncLeader())?.pid, process.pid);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await probe.close();
    }
  });
});
