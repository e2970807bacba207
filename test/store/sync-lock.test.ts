import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { WITHOUT_POSTGRES } from '../helpers/engine-selection.js';
import { ENGINES } from '../helpers/engines.js';

const CONTENDER = fileURLToPath(new URL('../helpers/lock-contender.js', import.meta.url));

/** A contender process (helpers/lock-contender.ts), seen through the lines it prints. */
function contender(target: StoreTarget, mode: '--lock' | '--lead' | '--crash' | '--lead-crash') {
  const child = spawn(process.execPath, [CONTENDER, JSON.stringify(target), mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    return line.done ? '' : line.value;
  };
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    pid: child.pid,
    next,
    closed,
    say: (word: string) => child.stdin.write(`${word}\n`),
    kill: (signal: NodeJS.Signals) => child.kill(signal),
  };
}
type Contender = ReturnType<typeof contender>;

/**
 * Every contender opens its store and says so before any of them tries; all are told to go at
 * once; the winner holds until every contender has answered, so a slow start cannot find the lock
 * free again. Returns the answers, sorted.
 */
async function contend(target: StoreTarget, n: number, mode: '--lock' | '--lead'): Promise<string[]> {
  const all: Contender[] = Array.from({ length: n }, () => contender(target, mode));
  assert.deepEqual(await Promise.all(all.map((c) => c.next())), Array(n).fill('ready'));
  for (const c of all) c.say('go');
  const answers = await Promise.all(all.map((c) => c.next()));
  all.forEach((c, i) => answers[i] === 'won' && c.say('release'));
  assert.deepEqual(
    await Promise.all(all.map((c) => c.closed)),
    Array(n).fill(0),
    'every contender ended well',
  );
  return answers.sort();
}

/** A holder that dies with SIGKILL as soon as it holds: it prints nothing. */
async function crash(target: StoreTarget, mode: '--crash' | '--lead-crash'): Promise<string> {
  const c = contender(target, mode);
  const said = await c.next();
  await c.closed;
  return said;
}

for (const engine of ENGINES)
  describe(`the sync lock (${engine.name})`, () => {
    it('of many processes that meet a stale lock at the same moment, exactly one takes it', async () => {
      const target = await engine.fresh();
      await (await openStore(target)).close();
      for (let round = 0; round < 3; round++) {
        assert.equal(await crash(target, '--crash'), '', 'the crashed holder printed nothing');
        const probe = await openStore(target);
        assert.equal(await probe.syncLockHolder(), undefined, 'a lock whose process died is nobody’s');
        await probe.close();
        const results = await contend(target, 8, '--lock');
        assert.deepEqual(
          results,
          ['refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'won'],
          `round ${round}`,
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
      assert.equal(await crash(target, '--lead-crash'), '', 'the crashed leader printed nothing');
      const probe = await openStore(target);
      try {
        assert.equal(await probe.syncLeader(), undefined, 'a leader whose process died leads nothing');
        assert.deepEqual(await contend(target, 6, '--lead'), [
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

describe('the sync leadership on PostgreSQL, when its holder freezes', { skip: WITHOUT_POSTGRES }, () => {
  it('is lost within about 20 s by a leader that stops answering (SIGSTOP), and taken by another', async () => {
    const postgres = ENGINES.find((e) => e.name === 'postgres')!;
    const target = await postgres.fresh();
    await (await openStore(target)).close();
    const leader = contender(target, '--lead');
    const probe = await openStore(target);
    try {
      assert.equal(await leader.next(), 'ready');
      leader.say('go');
      assert.equal(await leader.next(), 'won');
      assert.equal((await probe.syncLeader())?.pid, leader.pid, 'the contender leads');
      assert.equal(await probe.claimLeadership(), false);
      leader.kill('SIGSTOP');
      const frozenAt = Date.now();
      while (!(await probe.claimLeadership()) && Date.now() - frozenAt < 40_000)
        await new Promise((r) => setTimeout(r, 500));
      const after = (Date.now() - frozenAt) / 1000;
      assert.ok(after <= 25, `taken over ${after.toFixed(1)} s after the leader froze`);
      assert.equal((await probe.syncLeader())?.pid, process.pid);
    } finally {
      leader.kill('SIGKILL');
      await leader.closed;
      await probe.close();
    }
  });
});
