/** A `sync` process killed with SIGKILL where a scripted hang holds it: placed by counts, not timing. */
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { startCli } from './cli.js';
import { control, untilInjected } from './http.js';

/**
 * Starts `sync` with `args` and kills it once it hangs on `route` after `after` of that route's
 * requests passed, and `ready` (when given) resolved: the run's other work goes on meanwhile. The
 * scripted faults are cleared after.
 */
export async function killSyncAt(
  em: RunningEmulator,
  env: Record<string, string>,
  args: string[],
  kill: { route: string; after: number; ready?: () => Promise<void> },
): Promise<void> {
  const injected = (await control(em, 'GET', '/requests')).json.faultsInjected as number;
  await control(em, 'POST', '/faults/scripted', { route: kill.route, kind: 'hang', after: kill.after });
  const { child, done } = startCli(['sync', ...args], env);
  try {
    await untilInjected(em, injected + 1);
    await kill.ready?.();
  } finally {
    child.kill('SIGKILL');
  }
  const r = await done;
  assert.equal(
    r.signal,
    'SIGKILL',
    `killed mid-run at ${kill.route} after ${kill.after}: ${r.stderr.slice(-300)}`,
  );
  await control(em, 'DELETE', '/faults');
}
