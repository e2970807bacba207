/**
 * ./scripts/check_memory_leaks.sh: --cycles rounds of what a long-lived server does, each a change
 * in the workspace (on the emulator: replies to --changes conversations), an incremental sync into
 * one copy in this process, and questions to a real MCP server process on that copy. After each
 * round this process's heap is measured after a full collection, and the server's resident memory.
 * The first two rounds warm up (caches, compiled code); past them, memory that keeps growing fails:
 * the heap by more than 8 MB or a quarter, the server by more than 30 MB.
 */
import { rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startServerProcess } from '../../src/integration/server-process.js';
import { openStore } from '../../src/store/open.js';
import { runSync } from '../../src/sync/engine.js';
import { childEnv, tempWorkspace } from '../../test/helpers/cli.js';
import { options, runChecks } from './harness.js';
import { intercomTarget, mb, recordingApi } from './instrumented-sync.js';

const opts = options({ cycles: 6, changes: 40, days: 7, conversations: 800 });
const WARM_UP = 2;

// A full collection on demand, without asking the caller for --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const QUESTIONS: [string, Record<string, unknown>][] = [
  ['search_conversations', { query: 'refund OR charged OR error', timeframe: 'last 7 days', limit: 20 }],
  ['search_conversations', { state: 'open', limit: 50 }],
  ['conversation_stats', { timeframe: 'last 30 days' }],
  ['get_server_status', {}],
  ['list_workspace', {}],
];

/** On the emulator, a reply to `count` of the newest conversations; against Intercom, nothing. */
async function changeSome(emulatorUrl: string | undefined, count: number): Promise<number> {
  if (!emulatorUrl) return 0;
  const live = (await (await fetch(`${emulatorUrl}/_emulator/conversations`)).json()) as {
    conversations: { id: string }[];
  };
  const ids = live.conversations.slice(0, count).map((c) => c.id);
  for (const id of ids)
    await fetch(`${emulatorUrl}/_emulator/conversations/${id}/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Any news on this?' }),
    });
  return ids.length;
}

await runChecks('Memory leak check', async ({ ok, info }) => {
  ok(opts.cycles > WARM_UP, `--cycles ${opts.cycles} is more than the ${WARM_UP} that warm up`);
  const target = await intercomTarget({ conversations: opts.conversations, days: Math.max(opts.days, 30) });
  info(`Intercom: ${target.label}`);
  const dir = tempWorkspace('fim-leaks-');
  const store = await openStore({ workspaceDir: dir, databaseUrl: undefined });
  const env = childEnv({ INTERCOM_ACCESS_TOKEN: target.token, INTERCOM_API_BASE_URL: target.baseUrl });
  const { api } = recordingApi(target);
  try {
    const first = await runSync(api, store, { days: opts.days, defaultDays: opts.days });
    ok(first.complete, `a first sync of ${opts.days} days`, `${first.fetched} conversations`);
    const server = await startServerProcess(dir, env);
    const heap: number[] = [];
    const serverRss: number[] = [];
    try {
      for (let cycle = 1; cycle <= opts.cycles; cycle++) {
        const changed = await changeSome(target.emulatorUrl, opts.changes);
        const sync = await runSync(api, store, { defaultDays: opts.days });
        for (const [name, args] of QUESTIONS) {
          const r = (await server.client.callTool({ name, arguments: args })) as { isError?: boolean };
          if (r.isError) throw new Error(`${name} answered with an error in round ${cycle}`);
        }
        gc();
        heap.push(process.memoryUsage().heapUsed);
        serverRss.push((server.peakRssMb() ?? 0) * 1e6);
        info(
          `round ${cycle}: ${changed} changed, ${sync.fetched} synced, ${QUESTIONS.length} questions; heap ${mb(heap.at(-1)!)}, server peak ${mb(serverRss.at(-1)!)}`,
        );
      }
    } finally {
      await server.stop();
    }
    const base = heap[WARM_UP - 1]!;
    const grown = heap.at(-1)! - base;
    ok(
      grown <= Math.max(8e6, base * 0.25),
      `this process's heap after round ${WARM_UP} grew ${mb(grown)} over ${opts.cycles - WARM_UP} rounds`,
      `from ${mb(base)} to ${mb(heap.at(-1)!)}`,
    );
    const serverGrown = serverRss.at(-1)! - serverRss[WARM_UP - 1]!;
    ok(
      serverGrown <= 30e6,
      `the server's peak memory after round ${WARM_UP} grew ${mb(serverGrown)}`,
      `to ${mb(serverRss.at(-1)!)}`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await target.stop();
  }
});
