import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { startCli } from '../helpers/cli.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import { assertMirrors } from '../helpers/mirror.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const engine of ENGINES)
  describe(`sync resilience (${engine.name})`, () => {
    it('survives dropped connections, 5xx, 429 bursts, malformed bodies and hung requests', async () => {
      const em = await startEmulator({ conversations: 600, days: 10, seed: 'faulty' });
      const { store } = await freshStore(engine);
      try {
        await control(em, 'PUT', '/faults', {
          rate: 0.12,
          kinds: ['500', '502', '503', 'reset', 'malformed', 'hang'],
          hangMs: 5_000,
        });
        // A 429 costs a wait for the window's reset (up to 10 s), so a short burst, not a rate.
        await control(em, 'POST', '/faults/scripted', {
          route: 'GET /conversations/{id}',
          kind: '429',
          count: 3,
        });
        const api = new IntercomApi({
          baseUrl: em.url,
          token: em.token,
          // A hung request (5 s) times out; an answer merely slow on a loaded machine does not: the
          // emulator shares this process with the sync's writes, and 400 ms was once too short ten
          // times running beside a benchmark.
          requestOptions: { timeoutMs: 1_500, baseBackoffMs: 20, maxBackoffMs: 200, maxAttempts: 10 },
        });
        const result = await runSync(api, store, { defaultDays: 30 });
        const state = await control(em, 'GET', '/requests');
        assert.ok(state.json.faultsInjected >= 40, `${state.json.faultsInjected} faults injected`);
        assert.ok(result.retries >= 40);
        assert.equal(result.rateLimited, 3);
        assert.equal(result.complete, true);
        await assertMirrors(store, em.workspace);
      } finally {
        await store.close();
        await em.stop();
      }
    });

    it('a kill -9 mid-sync, then sync again: complete, nothing lost, nothing twice', async () => {
      const em = await startEmulator({
        conversations: 1500,
        days: 10,
        seed: 'killed',
        latencyMs: 8,
        jitterMs: 4,
      });
      const target = await engine.fresh();
      const env = { INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token, ...targetEnv(target) };
      try {
        const first = startCli(['sync', '--days', '30', '--concurrency', '8'], env);
        // Kill once a good part, but not all, of the threads have been fetched.
        for (let i = 0; i < 200; i++) {
          await sleep(50);
          const counts = await control(em, 'GET', '/requests');
          if ((counts.json.counts['GET /conversations/{id}'] ?? 0) > 400) break;
        }
        first.child.kill('SIGKILL');
        const killed = await first.done;
        assert.equal(killed.signal, 'SIGKILL');
        const partial = await openStore(target);
        const before = await partial.status();
        await partial.close();
        assert.ok(
          before.conversations > 0 && before.conversations < 1500,
          `${before.conversations} stored before the kill`,
        );

        await control(em, 'DELETE', '/requests');
        const second = await startCli(['sync'], env).done;
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stdout, /resume/);
        const counts = await control(em, 'GET', '/requests');
        assert.ok(
          counts.json.counts['GET /conversations/{id}'] <= 1500 - before.conversations + 40,
          'the resumed run does not re-fetch what was stored',
        );
        const store = await openStore(target);
        try {
          await assertMirrors(store, em.workspace);
          assert.equal((await store.status()).lastRun?.status, 'succeeded');
        } finally {
          await store.close();
        }
      } finally {
        await em.stop();
      }
    });

    it('paces itself by the rate-limit headers: zero 429s at the default limit', async () => {
      // More calls than three 10-second windows allow, at a limit (100 calls a window) that any
      // machine outruns: a window must run dry, however slow the machine.
      const em = await startEmulator({
        conversations: 300,
        days: 5,
        seed: 'paced',
        latencyMs: 3,
        perMinute: 600,
      });
      const { store } = await freshStore(engine);
      try {
        const api = new IntercomApi({ baseUrl: em.url, token: em.token });
        const result = await runSync(api, store, { defaultDays: 30 });
        assert.ok(
          result.apiCalls > 3 * em.settings.limiter.perWindow,
          'the sync needs more than three windows',
        );
        assert.equal(result.rateLimited, 0);
        assert.equal(em.settings.rateLimited, 0);
        assert.ok(api.pacer.waitedMs > 0, 'it waited for a window reset instead');
        await assertMirrors(store, em.workspace);
      } finally {
        await store.close();
        await em.stop();
      }
    });
  });
