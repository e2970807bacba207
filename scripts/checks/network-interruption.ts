/**
 * ./scripts/test_network_interruption.sh: a sync through a bad network. The emulator drops
 * connections and answers 5xx and 429 bursts throughout, then goes away altogether mid-sync and comes
 * back on the same address. The sync must recover (by retrying, or by a second run resuming from its
 * checkpoint), and the final database must equal the emulator's workspace.
 */
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { runCli, startCli, tempWorkspace } from '../../test/helpers/cli.js';
import { assertMirrors } from '../../test/helpers/mirror.js';
import { options, runChecks } from './harness.js';

const opts = options({ conversations: 1500, days: 30, 'fault-rate': 0.1, 'outage-seconds': 4 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await runChecks('Network interruption test', async ({ ok, info }) => {
  const anchor = Math.floor(Date.now() / 1000);
  const start = (port = 0) =>
    startEmulator({
      conversations: opts.conversations,
      days: opts.days,
      anchor,
      port,
      latencyMs: 40,
      jitterMs: 20,
    });
  let em: RunningEmulator = await start();
  const port = Number(new URL(em.url).port);
  const dir = tempWorkspace('fim-network-');
  const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url };
  const control = (path: string, body: unknown, method = 'PUT') =>
    fetch(`${em.url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const faultsOn = async () => {
    await control('faults', { rate: opts['fault-rate'], kinds: ['500', '502', '503', 'reset', 'malformed'] });
    await control('faults/scripted', { route: 'GET /conversations/{id}', kind: '429', count: 15 }, 'POST');
  };
  try {
    await faultsOn();
    info(
      `faults: ${opts['fault-rate'] * 100}% of responses 5xx, dropped or malformed, plus a burst of 15 × 429`,
    );
    const first = startCli(['--workspace', dir, 'sync', '--days', String(opts.days)], env);
    await sleep(2500);
    await em.stop();
    info(`emulator stopped mid-sync: connections refused for ${opts['outage-seconds']} s`);
    await sleep(opts['outage-seconds'] * 1000);
    em = await start(port);
    await faultsOn();
    info('emulator back on the same address, faults still on');
    const firstResult = await first.done;
    info(`first sync exited ${firstResult.code}: ${firstResult.stderr.trim().split('\n').at(-1) ?? ''}`);
    if (firstResult.code !== 0) {
      const second = await runCli(['--workspace', dir, 'sync'], env);
      ok(
        second.code === 0,
        'a second sync resumed from the checkpoint and completed',
        second.stderr.trim().split('\n').at(-1),
      );
    } else {
      info('the first sync rode out the outage by retrying');
    }
    const state = (await (await fetch(`${em.url}/_emulator/requests`)).json()) as { faultsInjected: number };
    ok(state.faultsInjected > 0, 'faults kept coming after the restart', `${state.faultsInjected} injected`);
    const store = new SqliteStore(join(dir, 'data.db'));
    try {
      const mirrored = await assertMirrors(store, em.workspace, anchor - opts.days * 86400).then(
        (count) => ({ count }),
        (e: unknown) => ({ mismatch: e instanceof Error ? e.message : String(e) }),
      );
      ok(
        'count' in mirrored,
        'the final database equals the emulator workspace',
        'count' in mirrored ? `${mirrored.count} conversations, every part in order` : mirrored.mismatch,
      );
      ok((await store.integrityProblems()).length === 0, 'integrity_check ok');
    } finally {
      await store.close();
    }
  } finally {
    await em.stop();
  }
});
