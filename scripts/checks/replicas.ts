/**
 * ./scripts/test_replicas.sh: a team's deployment under failure. One PostgreSQL copy, three `serve`
 * replicas outside test mode (so they elect a sync leader) and the emulator. Thirty MCP clients,
 * spread over the replicas, ask real questions for a minute while the leader backfills; the leader
 * is killed with SIGKILL mid-sync. Another replica must lead within 30 s and finish the sync from
 * the checkpoint; every answer must agree with the emulator's workspace, and no request may fail
 * except those in flight on the killed replica (whose clients then move to a survivor, as a load
 * balancer would send them). At the end the copy must equal the workspace.
 */
import type { Client } from '@modelcontextprotocol/client';
import { renderConversation } from '../../src/emulator/render.js';
import { startEmulator } from '../../src/emulator/server.js';
import { startServeProcess, type ServeProcess } from '../../src/integration/serve-process.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { tempWorkspace } from '../../test/helpers/cli.js';
import { assertMirrors } from '../../test/helpers/mirror.js';
import { freshDatabase } from '../../test/helpers/postgres-server.js';
import { options, runChecks } from './harness.js';

const opts = options({ replicas: 3, clients: 30, seconds: 60, conversations: 2500, days: 30 });
const TOKEN = 'replicas-test-token';
const WORDS = ['refund', 'invoice', 'password', 'export', 'charged', 'login', 'slow'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = { isError?: boolean; content?: { text?: string }[]; structuredContent?: any };
const text = (r: Answer) => (r.content ?? []).map((c) => c.text ?? '').join(' ');

await runChecks(
  `Replicas test (${opts.replicas} replicas, ${opts.clients} clients)`,
  async ({ ok, info }) => {
    const databaseUrl = process.env.FASTINTERCOM_DATABASE_URL ?? (await freshDatabase());
    // Slow enough that the backfill outlasts the kill: about 40 s for 2,500 threads.
    const em = await startEmulator({
      conversations: opts.conversations,
      days: opts.days,
      latencyMs: 60,
      jitterMs: 30,
    });
    const ws = em.workspace;
    const env = {
      INTERCOM_ACCESS_TOKEN: em.token,
      INTERCOM_API_BASE_URL: em.url,
      FASTINTERCOM_DATABASE_URL: databaseUrl,
      FASTINTERCOM_BACKGROUND_SYNC_INTERVAL: '10',
    };
    const replicas: ServeProcess[] = [];
    const clients: Client[] = [];
    try {
      for (let i = 0; i < opts.replicas; i++)
        replicas.push(await startServeProcess(tempWorkspace(`fim-replica-${i + 1}-`), env, TOKEN, [], false));
      info(`${opts.replicas} replicas on one PostgreSQL database: ${replicas.map((r) => r.url).join(', ')}`);
      const pids = replicas.map((r) => r.child.pid!);
      const dead = new Set<number>();
      const live = () => replicas.filter((r) => !dead.has(r.child.pid!));

      const status = async (c: Client) =>
        ((await c.callTool({ name: 'get_server_status', arguments: {} })) as Answer).structuredContent;
      const probe = await replicas[1]!.connect();
      let leaderPid: number | undefined;
      for (let i = 0; i < 100 && leaderPid === undefined; i++) {
        leaderPid = (await status(probe)).sync_leader?.pid;
        if (leaderPid === undefined) await sleep(100);
      }
      ok(
        leaderPid !== undefined && pids.includes(leaderPid),
        'one replica leads the scheduled syncs',
        `process ${leaderPid}`,
      );
      await probe.close();

      // Every client keeps its replica until that replica dies; then it moves to a survivor.
      const home = new Map<Client, number>();
      for (let i = 0; i < opts.clients; i++) {
        const c = await replicas[i % opts.replicas]!.connect();
        clients.push(c);
        home.set(c, i % opts.replicas);
      }
      ok(
        clients.length === opts.clients,
        `${opts.clients} MCP clients connected, ${opts.clients / opts.replicas} per replica`,
      );

      const wrong: string[] = [];
      const failedInFlight: string[] = [];
      let answered = 0;
      let stopAt = Date.now() + opts.seconds * 1000;
      let killedAt: number | undefined;
      const check = (what: string, good: boolean, detail: string) => {
        answered++;
        if (!good) wrong.push(`${what}: ${detail}`);
      };
      const ask = async (c: Client, n: number, round: number) => {
        const pick = (n * 7 + round) % 4;
        const sample = ws.live()[(n * 131 + round * 17) % ws.live().length]!;
        if (pick === 0) {
          const r = (await c.callTool({
            name: 'get_conversation',
            arguments: { conversation_id: sample.id },
          })) as Answer;
          if (r.isError)
            return check(`get ${sample.id}`, /No conversation .* in the local copy/.test(text(r)), text(r));
          const api = renderConversation(ws, sample, { plaintext: true }) as {
            conversation_parts: { total_count: number };
          };
          const s = r.structuredContent;
          check(
            `get ${sample.id}`,
            s.state === sample.state &&
              s.parts_total === api.conversation_parts.total_count &&
              s.parts_stored === Math.min(500, s.parts_total),
            JSON.stringify({ state: s.state, parts_total: s.parts_total, parts_stored: s.parts_stored }),
          );
        } else if (pick === 1) {
          const query = WORDS[(n + round) % WORDS.length]!;
          const r = (await c.callTool({
            name: 'search_conversations',
            arguments: { query, limit: 10 },
          })) as Answer;
          const hits = (r.structuredContent?.conversations ?? []) as { id: string; state: string }[];
          const bad = hits.filter((h) => ws.find(h.id)?.state !== h.state || ws.find(h.id)?.deleted);
          check(
            `search ${query}`,
            !r.isError && bad.length === 0,
            r.isError ? text(r) : `not as in Intercom: ${bad.map((h) => h.id).join(', ')}`,
          );
        } else if (pick === 2) {
          const state = (['open', 'closed', 'snoozed'] as const)[round % 3]!;
          const r = (await c.callTool({
            name: 'search_conversations',
            arguments: { state, limit: 5 },
          })) as Answer;
          const inIntercom = ws.live().filter((x) => x.state === state).length;
          const hits = (r.structuredContent?.conversations ?? []) as { state: string }[];
          check(
            `${state} total`,
            !r.isError && r.structuredContent.total <= inIntercom && hits.every((h) => h.state === state),
            r.isError ? text(r) : `${r.structuredContent.total} of ${inIntercom}`,
          );
        } else {
          const s = await status(c);
          check(
            'status',
            s !== undefined && s.conversations <= ws.live().length,
            JSON.stringify(s?.conversations),
          );
        }
      };
      const clientLoop = async (c: Client, n: number) => {
        let client = c;
        for (let round = 0; Date.now() < stopAt; round++) {
          let at = home.get(client)!;
          if (dead.has(pids[at]!)) {
            // The load balancer's move: a new session on a surviving replica.
            at = replicas.indexOf(live()[n % live().length]!);
            client = await replicas[at]!.connect();
            home.set(client, at);
            clients.push(client);
          }
          const startedAt = Date.now();
          try {
            await ask(client, n, round);
          } catch (e) {
            const msg = `client ${n + 1} on replica ${at + 1}: ${e instanceof Error ? e.message : String(e)}`;
            // In flight on the killed replica: sent before the kill (later ones go to a survivor).
            if (dead.has(pids[at]!) && killedAt !== undefined && startedAt <= killedAt)
              failedInFlight.push(msg);
            else wrong.push(msg);
          }
        }
      };
      const started = Date.now();
      const loops = clients.slice().map((c, n) => clientLoop(c, n));

      // The kill: once the leader has stored a quarter of the workspace, mid-backfill.
      const watcher = await replicas[pids.indexOf(leaderPid!) === 0 ? 1 : 0]!.connect();
      clients.push(watcher);
      while ((await status(watcher)).conversations < opts.conversations / 4) await sleep(200);
      const before = await status(watcher);
      ok(
        before.sync_running !== null,
        'the leader is mid-sync',
        `${before.conversations} of ${ws.live().length} stored, a sync running`,
      );
      const leader = replicas[pids.indexOf(leaderPid!)]!;
      dead.add(leaderPid!);
      killedAt = Date.now();
      leader.child.kill('SIGKILL');
      await leader.exited;
      info(
        `leader (process ${leaderPid}) killed with SIGKILL ${((killedAt - started) / 1000).toFixed(1)} s into the run`,
      );

      let newLeader: number | undefined;
      while (Date.now() - killedAt < 45_000) {
        const p = (await status(watcher)).sync_leader?.pid;
        if (p !== undefined && p !== leaderPid) {
          newLeader = p;
          break;
        }
        await sleep(250);
      }
      const takeover = (Date.now() - killedAt) / 1000;
      ok(
        newLeader !== undefined && pids.includes(newLeader) && takeover <= 30,
        'another replica leads within 30 s',
        `process ${newLeader} after ${takeover.toFixed(1)} s`,
      );
      const views = await Promise.all(
        live().map(async (r) => {
          const c = await r.connect();
          clients.push(c);
          return (await status(c)).sync_leader?.pid;
        }),
      );
      ok(
        views.every((p) => p === newLeader),
        'every surviving replica names the same leader',
        views.join(', '),
      );

      await Promise.all(loops);
      info(
        `${answered} answers in ${((Date.now() - started) / 1000).toFixed(0)} s from ${opts.clients} clients`,
      );

      // The new leader resumes the interrupted run; its completion ends the test.
      let final = await status(watcher);
      const deadline = Date.now() + 180_000;
      while (
        Date.now() < deadline &&
        (final.last_sync?.status !== 'succeeded' || final.sync_running !== null)
      ) {
        await sleep(500);
        final = await status(watcher);
      }
      ok(
        final.last_sync?.status === 'succeeded',
        'the new leader completed the sync',
        `${final.last_sync?.kind}, ${final.conversations} conversations`,
      );

      stopAt = Date.now() + 5000;
      await Promise.all(
        clients
          .slice(0, opts.clients)
          .map((c, n) => (dead.has(pids[home.get(c)!]!) ? undefined : clientLoop(c, n))),
      );
      // Searches count to a bound (types.ts, COUNT_BOUND); conversation_stats counts every one.
      const counted = (await watcher.callTool({
        name: 'conversation_stats',
        arguments: { timeframe: 'since 2000-01-01', bucket: 'month' },
      })) as Answer;
      for (const state of ['open', 'closed', 'snoozed'] as const) {
        const want = ws.live().filter((x) => x.state === state).length;
        const got = counted.structuredContent?.by_state?.[state];
        check(`final ${state} total`, got === want, `${got}, want ${want}`);
      }

      const threadGets = Object.entries(Object.fromEntries(em.settings.requestCounts))
        .filter(([route]) => /^GET \/conversations\/\{[^/]+\}$/.test(route))
        .reduce((n, [, v]) => n + v, 0);
      info(`threads fetched from Intercom: ${threadGets} for ${ws.live().length} conversations`);
      ok(
        threadGets >= ws.live().length && threadGets <= ws.live().length * 1.1,
        'the sync resumed from its checkpoint: at most 10% of threads fetched again',
        `${threadGets - ws.live().length} fetched twice`,
      );

      const store = await PostgresStore.open(databaseUrl);
      try {
        const mismatch = await assertMirrors(store, ws).then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
        ok(
          mismatch === undefined,
          'the copy equals the emulator workspace',
          mismatch ?? `${ws.live().length} conversations, every part in order`,
        );
      } finally {
        await store.close();
      }
      info(`${failedInFlight.length} requests failed in flight on the killed replica`);
      ok(
        wrong.length === 0,
        'every answer agreed with Intercom, and no other request failed',
        wrong.slice(0, 3).join('; '),
      );
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(replicas.map((r) => r.stop()));
      await em.stop();
    }
  },
);
