/**
 * A sync killed with SIGKILL five times, at different depths of its backfill, with Intercom
 * changing between the kills (new conversations, replies, closes, a deletion), then one more
 * `sync`: it must report success only once the copy equals the workspace. Each kill lands while
 * a thread fetch hangs (a scripted fault placed after a given number of fetches), so where it
 * lands is set by counts, not by timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { ENGINES, targetEnv } from '../helpers/engines.js';
import { runCli } from '../helpers/cli.js';
import { control } from '../helpers/http.js';
import { killSyncAt } from '../helpers/kill-sync.js';
import { assertMirrors } from '../helpers/mirror.js';

const THREAD_ROUTE = 'GET /conversations/{id}';
const FETCHES_BEFORE_KILL = [5, 40, 80, 120, 160];

/** Changes upstream between two kills, touching old and new conversations alike. */
async function changeUpstream(em: RunningEmulator, round: number): Promise<void> {
  const live = em.workspace.live();
  await control(em, 'POST', '/conversations', { body: `Round ${round}: the export button is gone` });
  const old = live[live.length - 1 - round * 7]!;
  await control(em, 'POST', `/conversations/${old.id}/reply`, { body: `Any news? (round ${round})` });
  const recent = live[round * 3]!;
  await control(em, 'POST', `/conversations/${recent.id}/reply`, {
    author: 'admin',
    body: `Looking into it (round ${round})`,
  });
  const open = live.find((s, i) => i > 40 + round && s.state === 'open');
  if (open) await control(em, 'POST', `/conversations/${open.id}/state`, { state: 'closed' });
  if (round === 2) await control(em, 'DELETE', `/conversations/${live[60]!.id}`);
}

for (const engine of ENGINES)
  describe(`a sync killed five times, then one sync (${engine.name})`, () => {
    let em: RunningEmulator;
    let target: StoreTarget;
    before(async () => {
      em = await startEmulator({ conversations: 700, days: 28, seed: `crash-resume-${engine.name}` });
      target = await engine.fresh();
    });
    after(() => em?.stop());

    it('ends with the copy equal to the workspace, and says so only then', async () => {
      const env = {
        INTERCOM_API_BASE_URL: em.url,
        INTERCOM_ACCESS_TOKEN: em.token,
        ...targetEnv(target),
      };
      for (const [round, fetches] of FETCHES_BEFORE_KILL.entries()) {
        await killSyncAt(em, env, ['--days', '28'], { route: THREAD_ROUTE, after: fetches });
        await changeUpstream(em, round);
      }
      const store = await openStore(target);
      try {
        assert.ok(await store.getCheckpoint(), 'the kills left a run to resume');
      } finally {
        await store.close();
      }
      const last = await runCli(['sync', '--json'], env);
      assert.equal(last.code, 0, last.stderr.slice(-500));
      const result = JSON.parse(last.stdout.trim().split('\n').at(-1)!) as {
        kind: string;
        complete: boolean;
      };
      assert.equal(result.kind, 'resume');
      assert.equal(result.complete, true);
      const after = await openStore(target);
      try {
        await assertMirrors(after, em.workspace);
        assert.equal(await after.getCheckpoint(), undefined, 'nothing is left to resume');
        const status = await after.status();
        const coveredUntil = Math.max(...status.coverage.map((w) => w.to));
        assert.ok(
          coveredUntil >= status.lastSuccessfulRun!.startedAt,
          'coverage reaches the start of the run that reported success',
        );
      } finally {
        await after.close();
      }
    });
  });
