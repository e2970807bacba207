/**
 * No request from one client may stall the others: 200 KB queries and timeframes are refused with
 * a short error while another client, in another thread, keeps being answered its status over
 * Streamable HTTP. The verdict is what happens, not how fast: a status answered again and again
 * while the refusals are still coming shows they do not hold the server. How fast it stays is a
 * benchmark's figure (bench/worst-case.ts, status p95 meanwhile); the times here are diagnostics.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';
import { startServeProcess, type ServeProcess } from '../src/integration/serve-process.js';
import { IntercomApi } from '../src/intercom/client.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { runSync } from '../src/sync/engine.js';
import { tempWorkspace } from '../test/helpers/cli.js';
import { rawSession } from '../test/helpers/raw-mcp.js';

const TOKEN = 'stall-test-token-123456';
type Refusal = { ms: number; isError: boolean; length: number };

describe('one client cannot stall another', () => {
  let em: RunningEmulator;
  let serve: ServeProcess;

  before(async () => {
    em = await startEmulator({ conversations: 600, days: 10, seed: 'stall' });
    const dir = tempWorkspace();
    const store = new SqliteStore(join(dir, 'data.db'));
    await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 30 });
    await store.close();
    serve = await startServeProcess(dir, {}, TOKEN);
  });
  after(async () => {
    await serve?.stop();
    await em.stop();
  });

  it('refuses 200 KB queries and timeframes with a short error, while another client is answered meanwhile', async (t) => {
    const bystander = await rawSession(serve.url, TOKEN);
    const status = bystander.body('get_server_status', {});
    const huge = 'refund billing '.repeat(14_000);
    const calls = Array.from({ length: 20 }, () => [
      { name: 'search_conversations', arguments: { query: huge } },
      { name: 'search_conversations', arguments: { timeframe: huge } },
      { name: 'conversation_stats', arguments: { timeframe: huge.slice(0, 201) } },
    ]).flat();
    const timeStatus = async (into: number[]) => {
      const r = await bystander.send(status);
      assert.ok(!r.isError, r.text);
      into.push(r.ms);
    };
    // The same client's status with nobody else asking: what this machine gives right now.
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) await timeStatus(idle);
    const worker = new Worker(new URL('../test/helpers/abusive-client.js', import.meta.url), {
      workerData: { url: serve.url, token: TOKEN, calls },
    });
    const finished = new Promise<Refusal[]>((resolve, reject) => {
      worker.on('message', (m: { results?: Refusal[] }) => m.results && resolve(m.results));
      worker.once('error', reject);
    });
    const statuses: number[] = [];
    let done = false;
    void finished.then(() => (done = true));
    while (!done) await timeStatus(statuses);
    const refusals = await finished;
    assert.equal(refusals.length, calls.length);
    for (const r of refusals) {
      assert.equal(r.isError, true);
      assert.ok(r.length < 500, 'the error quotes at most a short prefix');
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const refusalMs = median(refusals.map((r) => r.ms));
    const [during, alone] = [median(statuses), median(idle)];
    t.diagnostic(
      `refusal median ${refusalMs.toFixed(1)} ms; status median ${during.toFixed(1)} ms over ${statuses.length} calls meanwhile, ${alone.toFixed(1)} ms alone`,
    );
    assert.ok(statuses.length >= 5, `status answered ${statuses.length} times while the refusals went on`);
  });
});
