/**
 * ./scripts/test_concurrent_clients.sh --clients 5: N MCP clients, each its own server process over
 * stdio on one workspace (as N assistants on one machine would be), query at once while one of them
 * re-syncs the whole window. Every answer must equal the local copy's, and none may be an error
 * such as "database is locked".
 */
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { startServerProcess, type ServerProcess } from '../../src/integration/server-process.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { childEnv, runCli, tempWorkspace } from '../../test/helpers/cli.js';
import { options, runChecks } from './harness.js';

const opts = options({ clients: 5, conversations: 1000, days: 30 });

await runChecks(`Concurrent clients test (${opts.clients} clients)`, async ({ ok, info }) => {
  const em = await startEmulator({
    conversations: opts.conversations,
    days: opts.days,
    latencyMs: 20,
    jitterMs: 10,
  });
  const dir = tempWorkspace('fim-concurrent-');
  const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url };
  const servers: ServerProcess[] = [];
  try {
    const first = await runCli(['--workspace', dir, 'sync', '--days', String(opts.days)], env);
    ok(first.code === 0, 'initial sync', first.stderr.trim().split('\n').at(-1));

    const store = new SqliteStore(join(dir, 'data.db'));
    const status = await store.status();
    const byState: Record<string, number> = {};
    for (const s of ['open', 'closed', 'snoozed'] as const)
      byState[s] = (await store.searchConversations({ state: s, sort: 'newest', limit: 1, offset: 0 })).total;
    const sample: { id: string; parts: number }[] = [];
    for (const h of (await store.searchConversations({ sort: 'newest', limit: 20, offset: 0 })).hits)
      sample.push({ id: h.id, parts: (await store.getConversation(h.id))!.parts.length });
    await store.close();
    info(`local copy: ${status.conversations} conversations, ${status.parts} messages`);

    for (let i = 0; i < opts.clients; i++)
      servers.push(
        await startServerProcess(dir, childEnv(env), { clientName: `concurrent-client-${i + 1}` }),
      );
    ok(servers.length === opts.clients, `${opts.clients} MCP servers started over stdio, one per client`);

    // A forced re-sync of the whole window rewrites every conversation while the clients read.
    const sync = servers[0]!.client.callTool({
      name: 'sync_conversations',
      arguments: { force: true, days: opts.days, wait_seconds: 300 },
    });
    let syncing = true;
    void sync.finally(() => (syncing = false));

    const wrong: string[] = [];
    let answered = 0;
    const text = (r: unknown) =>
      ((r as { content: { text: string }[] }).content ?? []).map((c) => c.text).join(' ');
    const structured = (r: unknown) =>
      (r as { structuredContent?: Record<string, unknown> }).structuredContent ?? {};
    const expectSame = (what: string, got: unknown, want: unknown, r: unknown) => {
      answered++;
      if ((r as { isError?: boolean }).isError) wrong.push(`${what}: error ${text(r)}`);
      else if (got !== want) wrong.push(`${what}: got ${String(got)}, want ${String(want)}`);
    };
    await Promise.all(
      servers.map(async (server, n) => {
        let round = 0;
        while (syncing || round < 3) {
          round++;
          for (const state of ['open', 'closed', 'snoozed'] as const) {
            const r = await server.client.callTool({
              name: 'search_conversations',
              arguments: { state, limit: 5 },
            });
            expectSame(`client ${n + 1} ${state} total`, structured(r).total, byState[state], r);
          }
          const c = sample[(round + n) % sample.length]!;
          const g = await server.client.callTool({
            name: 'get_conversation',
            arguments: { conversation_id: c.id },
          });
          expectSame(`client ${n + 1} ${c.id} parts`, structured(g).parts_stored, c.parts, g);
          const s = await server.client.callTool({ name: 'get_server_status', arguments: {} });
          expectSame(
            `client ${n + 1} status conversations`,
            structured(s).conversations,
            status.conversations,
            s,
          );
        }
      }),
    );
    const synced = await sync;
    ok(
      !(synced as { isError?: boolean }).isError,
      'the forced sync finished while clients queried',
      text(synced),
    );
    info(`${answered} answers from ${opts.clients} clients during the sync`);
    ok(
      !wrong.some((w) => /locked|busy/i.test(w)),
      'no "database is locked"',
      wrong.filter((w) => /locked|busy/i.test(w))[0],
    );
    ok(wrong.length === 0, 'every answer equals the local copy', wrong.slice(0, 3).join('; '));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await em.stop();
  }
});
