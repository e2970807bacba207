/**
 * One contender for a copy's sync lock (or, with `--lead`, the leadership of the scheduled syncs),
 * as its own process, driven line by line so that no verdict depends on how fast processes start:
 * it opens the store and prints `ready`; on `go` it tries once and prints `won` or `refused`; a
 * winner holds until `release`, so every other contender meets a live holder however late it
 * tries. `--crash` and `--lead-crash` take the lock or the leadership and kill themselves with
 * SIGKILL, leaving a stale one behind.
 */
import { createInterface } from 'node:readline';
import { SyncAlreadyRunning } from '../../src/store/errors.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';

const [target, mode] = process.argv.slice(2) as [string?, string?];
// `node --test dist/test/` also runs this file, with no arguments: there is nothing to contend for.
if (target === undefined) process.exit(0);
const store = await openStore(JSON.parse(target) as StoreTarget);
if (mode === '--crash' || mode === '--lead-crash') {
  await (mode === '--crash' ? store.acquireSyncLock() : store.claimLeadership());
  process.kill(process.pid, 'SIGKILL');
}
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const until = async (word: string) => {
  for (let line = await lines.next(); !line.done; line = await lines.next())
    if (line.value.trim() === word) return;
  throw new Error(`stdin closed before "${word}"`);
};

async function tryOnce(): Promise<boolean> {
  if (mode === '--lead') return store.claimLeadership();
  try {
    await store.acquireSyncLock();
    return true;
  } catch (e) {
    if (e instanceof SyncAlreadyRunning) return false;
    throw e;
  }
}

process.stdout.write('ready\n');
await until('go');
const won = await tryOnce();
process.stdout.write(won ? 'won\n' : 'refused\n');
if (won) {
  await until('release');
  await (mode === '--lead' ? store.releaseLeadership() : store.releaseSyncLock());
}
await store.close();
process.exit(0);
