/** `fast-intercom-mcp reset`: deletes the local database (the configuration stays). */
import { asInvoked } from '../wording.js';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ConfigError } from '../config/settings.js';
import { engineOf, storeLocation } from '../store/open.js';
import { SyncAlreadyRunning, type LockHolder } from '../store/errors.js';
import type { Store } from '../store/types.js';
import { contextFrom, guarded, openStore, type CliContext } from './context.js';

export function registerResetCommand(program: Command): void {
  program
    .command('reset')
    .description('delete the local database; the next sync rebuilds it from Intercom')
    .option('--yes', 'do not ask for confirmation')
    .action(
      guarded(async (opts: { yes?: boolean }, cmd: Command) => {
        const ctx = contextFrom(cmd);
        const db = storeLocation(ctx.settings.store).description;
        if (!opts.yes) {
          if (!process.stdin.isTTY)
            throw new ConfigError('reset deletes the local data: pass --yes to confirm');
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question(`Delete ${db} and everything synced into it? [y/N] `);
          rl.close();
          if (!/^y(es)?$/i.test(answer.trim())) {
            console.log('Nothing deleted.');
            return;
          }
        }
        await refuseWhileSyncing(ctx);
        const files = await engineOf(ctx.settings.store).drop(ctx.settings.store);
        ctx.logger.info(`reset: deleted ${files.join(', ') || 'nothing'}`);
        console.log(
          files.length > 0
            ? asInvoked(`Deleted ${db}. Run \`fast-intercom-mcp sync\` to rebuild it.`, ctx.invocation)
            : 'No database to delete.',
        );
      }),
    );
}

/**
 * A running sync holds the copy's lock: deleting its database under it would lose the run. A
 * database that cannot be opened (damaged, or of a newer schema) has no sync to wait for.
 */
async function refuseWhileSyncing(ctx: CliContext): Promise<void> {
  if (!(await engineOf(ctx.settings.store).exists(ctx.settings.store))) return;
  let store: Store | undefined;
  let holder: LockHolder | undefined;
  try {
    store = await openStore(ctx);
    holder = await store.syncLockHolder();
  } catch {
    return;
  } finally {
    await store?.close();
  }
  if (holder !== undefined) throw new SyncAlreadyRunning(holder);
}
