/**
 * One contender for a copy's sync lock, as its own process: opens the store, waits for the
 * agreed moment, tries the lock once and prints `won` or `refused`, then holds what it won for a
 * while so that every other contender meets a live holder. `--crash` takes the lock and kills
 * itself with SIGKILL, leaving a stale lock behind. `--lead` and `--lead-crash` do the same with
 * the leadership of the scheduled syncs.
 */
import { SyncAlreadyRunning } from '../../src/store/errors.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';

const [target, startAt, holdMs, mode] = process.argv.slice(2) as [string?, string?, string?, string?];
// `node --test dist/test/` also runs this file, with no arguments: there is nothing to contend for.
if (target === undefined) process.exit(0);
const store = await openStore(JSON.parse(target) as StoreTarget);
if (mode === '--crash' || mode === '--lead-crash') {
  await (mode === '--crash' ? store.acquireSyncLock() : store.claimLeadership());
  process.kill(process.pid, 'SIGKILL');
}
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
if (mode === '--lead') {
  const leads = await store.claimLeadership();
  process.stdout.write(leads ? 'won\n' : 'refused\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  if (leads) await store.releaseLeadership();
  await store.close();
  process.exit(0);
}
try {
  await store.acquireSyncLock();
  process.stdout.write('won\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  await store.releaseSyncLock();
} catch (e) {
  if (!(e instanceof SyncAlreadyRunning)) throw e;
  process.stdout.write('refused\n');
}
await store.close();
