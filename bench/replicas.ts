/**
 * A team's deployment under load: the same 30 clients and question mix against one `serve` and
 * then three replicas on one PostgreSQL copy (answers per second, latency percentiles); and the
 * memory of a server that 2,000 clients initialized and left without DELETE, with the default caps.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/client';
import { percentile } from '../src/insights/service-levels.js';
import { cpuSeconds, residentMb } from '../src/integration/proc-stats.js';
import { startServeProcess, type ServeProcess } from '../src/integration/serve-process.js';
import { SESSION_DEFAULTS } from '../src/cli/serve-options.js';
import { startEmulator } from '../src/emulator/server.js';
import { IntercomApi } from '../src/intercom/client.js';
import { PostgresStore } from '../src/store/postgres/store.js';
import { runSync } from '../src/sync/engine.js';
import { tempWorkspace } from '../test/helpers/cli.js';

const TOKEN = 'bench-replicas-token';
const WORDS = ['refund', 'invoice', 'password', 'export', 'charged', 'login', 'slow'];

export interface ReplicaRun {
  replicas: number;
  /** Share of the machine's CPU time busy during the run (all cores): 1 is a saturated machine. */
  machineBusy: number | null;
  /** CPU seconds of the run: the servers together, this process's clients, and the rest (PostgreSQL). */
  cpuSeconds: { servers: number | null; clients: number; rest: number | null };
  answers: number;
  answersPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  errors: number;
}

export interface ReplicasBench {
  conversations: number;
  clients: number;
  seconds: number;
  runs: ReplicaRun[];
  /** Answers per second with three replicas over one. */
  throughputRatio: number;
  abandonedSessions: {
    sessions: number;
    maxSessions: number;
    rssBeforeMb: number | null;
    rssAfterMb: number | null;
    peakRssMb: number | null;
  };
}

/** Busy and total CPU ticks of the whole machine so far, from /proc/stat; null without /proc. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = cpu[3]! + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

async function load(
  replicas: ServeProcess[],
  clients: number,
  seconds: number,
  ids: string[],
): Promise<ReplicaRun> {
  const connected: Client[] = [];
  for (let i = 0; i < clients; i++) connected.push(await replicas[i % replicas.length]!.connect());
  const times: number[] = [];
  let errors = 0;
  const stopAt = Date.now() + seconds * 1000;
  const ticksBefore = machineTicks();
  const serverCpu = () => {
    const each = replicas.map((r) => cpuSeconds(r.child.pid));
    return each.every((x) => x !== null) ? each.reduce((a, b) => a! + b!, 0)! : null;
  };
  const serversBefore = serverCpu();
  const clientsBefore = process.cpuUsage();
  await Promise.all(
    connected.map(async (c, n) => {
      for (let round = 0; Date.now() < stopAt; round++) {
        const pick = (n + round) % 4;
        const [name, args] =
          pick === 0
            ? ['search_conversations', { query: WORDS[(n + round) % WORDS.length], limit: 10 }]
            : pick === 1
              ? ['search_conversations', { state: 'open', timeframe: 'last 7 days', limit: 10 }]
              : pick === 2
                ? ['get_conversation', { conversation_id: ids[(n * 31 + round) % ids.length] }]
                : ['get_server_status', {}];
        const t0 = performance.now();
        const r = (await c.callTool({ name: name as string, arguments: args })) as { isError?: boolean };
        times.push(performance.now() - t0);
        if (r.isError) errors++;
      }
    }),
  );
  const ticksAfter = machineTicks();
  const serversAfter = serverCpu();
  const clientsUsage = process.cpuUsage(clientsBefore);
  const clientSeconds = (clientsUsage.user + clientsUsage.system) / 1e6;
  const servers = serversBefore !== null && serversAfter !== null ? serversAfter - serversBefore : null;
  // /proc/stat counts in USER_HZ ticks, 100 a second.
  const busySeconds = ticksBefore && ticksAfter ? (ticksAfter.busy - ticksBefore.busy) / 100 : null;
  await Promise.all(connected.map((c) => c.close()));
  const sorted = times.slice().sort((a, b) => a - b);
  return {
    replicas: replicas.length,
    machineBusy:
      ticksBefore && ticksAfter
        ? (ticksAfter.busy - ticksBefore.busy) / (ticksAfter.total - ticksBefore.total)
        : null,
    cpuSeconds: {
      servers,
      clients: clientSeconds,
      rest:
        busySeconds !== null && servers !== null ? Math.max(0, busySeconds - servers - clientSeconds) : null,
    },
    answers: times.length,
    answersPerSecond: times.length / seconds,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
    errors,
  };
}

async function abandon(serve: ServeProcess, sessions: number): Promise<void> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'leaver', version: '1' } },
  });
  for (let i = 0; i < sessions; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, sessions - i) }, async () => {
        const r = await fetch(serve.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            Authorization: `Bearer ${TOKEN}`,
          },
          body,
        });
        await r.text();
      }),
    );
}

export async function measureReplicas(o: {
  conversations: number;
  clients: number;
  seconds: number;
  databaseUrl: string;
}): Promise<ReplicasBench> {
  const em = await startEmulator({ conversations: o.conversations, days: 30 });
  const store = await PostgresStore.open(o.databaseUrl);
  await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 30 });
  await store.close();
  const ids = em.workspace.live().map((c) => c.id);
  const env = { FASTINTERCOM_DATABASE_URL: o.databaseUrl };
  const runs: ReplicaRun[] = [];
  try {
    for (const count of [1, 3]) {
      // Test mode: these servers answer and do not sync, so the figures are the answers' alone.
      const replicas = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          startServeProcess(tempWorkspace(`fim-bench-replica-${i}-`), env, TOKEN),
        ),
      );
      try {
        runs.push(await load(replicas, o.clients, o.seconds, ids));
      } finally {
        await Promise.all(replicas.map((r) => r.stop()));
      }
    }
    const leaving = await startServeProcess(tempWorkspace('fim-bench-sessions-'), env, TOKEN);
    const pid = leaving.child.pid;
    let abandoned: ReplicasBench['abandonedSessions'];
    try {
      const rssBeforeMb = residentMb(pid, 'VmRSS');
      await abandon(leaving, 2000);
      await new Promise((r) => setTimeout(r, 1000));
      abandoned = {
        sessions: 2000,
        maxSessions: SESSION_DEFAULTS.maxSessions,
        rssBeforeMb,
        rssAfterMb: residentMb(pid, 'VmRSS'),
        peakRssMb: residentMb(pid, 'VmHWM'),
      };
    } finally {
      await leaving.stop();
    }
    return {
      conversations: ids.length,
      clients: o.clients,
      seconds: o.seconds,
      runs,
      throughputRatio: runs[1]!.answersPerSecond / runs[0]!.answersPerSecond,
      abandonedSessions: abandoned,
    };
  } finally {
    await em.stop();
  }
}
