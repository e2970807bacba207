import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { runSync } from '../../src/sync/engine.js';
import { startCli, tempWorkspace } from '../helpers/cli.js';
import { control } from '../helpers/http.js';

/** Waits until the emulator has been asked `route`, so the stop arrives while it is answering. */
async function until(em: RunningEmulator, route: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const counts = (await control(em, 'GET', '/requests')).json.counts as Record<string, number>;
    if ((counts[route] ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${route} was never asked`);
}

for (const engine of ENGINES)
  describe(`stops that stop (${engine.name})`, () => {
    let em: RunningEmulator;
    before(async () => {
      em = await startEmulator({ conversations: 200, days: 5, seed: 'stops' });
    });
    after(() => em.stop());

    const env = () => ({ INTERCOM_API_BASE_URL: em.url, INTERCOM_ACCESS_TOKEN: em.token });
    const cases: [string, string, 'hang' | 'trickle', string[], NodeJS.Signals][] = [
      ['sync, SIGINT, reference data hanging', 'GET /admins', 'hang', ['sync'], 'SIGINT'],
      ['sync, SIGINT, a search body trickling', 'POST /conversations/search', 'trickle', ['sync'], 'SIGINT'],
      [
        'serve, SIGTERM, reference data hanging',
        'GET /admins',
        'hang',
        ['serve', '--port', '0', '--auth-token', 'stop-token-123456'],
        'SIGTERM',
      ],
    ];
    // What a stop must beat: the request it interrupts. A hung request holds for 120 s and a
    // trickle sends one byte a second of about 100, so a process that waited for it would wait for
    // the client's 20 s idle timeout at the least; one that stops takes moments. The bound sits
    // between the two, far from both, so it tells them apart on a slow or busy machine too.
    const FAULT_SECONDS = 15;
    for (const [label, route, kind, args, signal] of cases) {
      it(`${label}: ends without waiting for the request`, async (ctx) => {
        await control(em, 'DELETE', '/requests');
        await control(em, 'POST', '/faults/scripted', { route, kind, count: 1 });
        const { child, done } = startCli(['--workspace', tempWorkspace(), ...args], env());
        try {
          await until(em, route);
          const t = performance.now();
          child.kill(signal);
          const r = await done;
          const ms = performance.now() - t;
          assert.ok(ms < FAULT_SECONDS * 1000, `took ${ms.toFixed(0)} ms to stop: ${r.stderr.slice(-300)}`);
          ctx.diagnostic(`stopped ${ms.toFixed(0)} ms after the signal`);
          assert.ok(r.code === 130 || r.code === 0, `exit ${r.code}: ${r.stderr.slice(-300)}`);
        } finally {
          child.kill('SIGKILL');
          await control(em, 'DELETE', '/faults');
        }
      });
    }

    it('gives up on a trickling body at its deadline, then retries', async () => {
      await control(em, 'POST', '/faults/scripted', {
        route: 'POST /conversations/search',
        kind: 'trickle',
        count: 1,
      });
      const retries: string[] = [];
      const api = new IntercomApi({
        baseUrl: em.url,
        token: em.token,
        requestOptions: {
          timeoutMs: 5_000,
          deadlineMs: 1_500,
          baseBackoffMs: 10,
          maxBackoffMs: 20,
          onRetry: (r) => retries.push(r.reason),
        },
      });
      const store = (await freshStore(engine)).store;
      try {
        const t = performance.now();
        const result = await runSync(api, store, { defaultDays: 30 });
        assert.equal(result.complete, true);
        assert.deepEqual(retries, ['timed out'], 'the trickle was cut by the deadline, not the idle timeout');
        assert.ok(performance.now() - t >= 1_500);
      } finally {
        await store.close();
        await control(em, 'DELETE', '/faults');
      }
    });
  });
