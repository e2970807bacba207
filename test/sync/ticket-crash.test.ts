/**
 * A sync killed with SIGKILL while it reads tickets, four times at different depths (while a
 * ticket's retrieve hangs, and while a listing page hangs), with tickets changing and one deleted
 * between the kills; then one more sync, and a full listing: the copy's tickets equal the
 * workspace's, nothing lost and nothing half-written. Where each kill lands is set by counts (a
 * scripted hang after N requests), not by timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { runCli } from '../helpers/cli.js';
import { ENGINES, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import { killSyncAt } from '../helpers/kill-sync.js';
import { assertTicketsMirror } from '../helpers/mirror.js';

/** Where each kill lands: a route that hangs after that many of its requests pass. */
const KILLS = [
  { route: 'GET /tickets/{ticket_id}', after: 5 },
  { route: 'POST /tickets/search', after: 2 },
  { route: 'GET /tickets/{ticket_id}', after: 90 },
  { route: 'GET /tickets/{ticket_id}', after: 200 },
];

for (const engine of ENGINES)
  describe(`a sync killed while it reads tickets, then one sync (${engine.name})`, () => {
    let em: RunningEmulator;
    let target: StoreTarget;
    before(async () => {
      em = await startEmulator({
        conversations: 100,
        days: 10,
        seed: `ticket-crash-${engine.name}`,
        tickets: 400,
      });
      target = await engine.fresh();
    });
    after(() => em?.stop());

    it('ends with every ticket as the workspace has it', async () => {
      const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
      for (const [round, kill] of KILLS.entries()) {
        await killSyncAt(em, env, ['--days', '10'], kill);
        const live = em.workspace.tickets.live();
        await control(em, 'POST', `/tickets/${live[round * 11]!.id}/change`, {
          kind: 'reply',
          body: `Still broken (round ${round})`,
        });
        await control(em, 'POST', `/tickets/${live[live.length - 1 - round]!.id}/change`, {
          kind: 'state',
          stateId: '4005',
        });
        if (round === 1) await control(em, 'DELETE', `/tickets/${live[50]!.id}`);
      }
      const last = await runCli(['sync'], env);
      assert.equal(last.code, 0, last.stderr.slice(-500));
      const store = await openStore(target);
      try {
        // The deletion is proved by the hourly full listing: one is asked for here.
        await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, {
          defaultDays: 10,
          tickets: { fullPassSeconds: 0 },
        });
        assert.equal(await assertTicketsMirror(store, em.workspace), em.workspace.tickets.live().length);
      } finally {
        await store.close();
      }
    });
  });
