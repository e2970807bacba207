import type { StoreAdmin } from '../store/types.js';

/**
 * Runs `fn` holding the copy's sync lock (SyncAlreadyRunning when another live process holds it),
 * released however `fn` ends. A release that fails is not the run's failure: the lock dies with
 * this process (its row's pid, its PostgreSQL session) in any case.
 */
export async function underSyncLock<T>(
  store: Pick<StoreAdmin, 'acquireSyncLock' | 'releaseSyncLock'>,
  fn: () => Promise<T>,
): Promise<T> {
  await store.acquireSyncLock();
  try {
    return await fn();
  } finally {
    await store.releaseSyncLock().catch(() => undefined);
  }
}
