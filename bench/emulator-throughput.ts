/**
 * How many requests a second the emulator serves on loopback: it must never be what limits a sync
 * (Intercom's default limit is 10,000 calls a minute, about 167 a second).
 */
import { startEmulator } from '../src/emulator/server.js';

export interface EmulatorThroughput {
  route: string;
  requests: number;
  concurrency: number;
  seconds: number;
  requestsPerSecond: number;
  ratioToDefaultRateLimit: number;
}

export async function measureEmulatorThroughput(opts: {
  requests: number;
  concurrency: number;
}): Promise<EmulatorThroughput[]> {
  // A limit high enough that the measurement is of serving, not of rate limiting.
  const em = await startEmulator({ conversations: 10_000, days: 30, seed: 'bench', perMinute: 60_000_000 });
  const headers = { Authorization: `Bearer ${em.token}`, 'Content-Type': 'application/json' };
  const ids = em.workspace.live().map((s) => s.id);
  const routes: { route: string; call: (i: number) => Promise<Response> }[] = [
    {
      route: 'GET /conversations/{id}?display_as=plaintext',
      call: (i) => fetch(`${em.url}/conversations/${ids[i % ids.length]}?display_as=plaintext`, { headers }),
    },
    {
      route: 'POST /conversations/search (150 a page)',
      call: (i) =>
        fetch(`${em.url}/conversations/search`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: { field: 'updated_at', operator: '>', value: em.workspace.anchor - (i % 30) * 86400 },
            pagination: { per_page: 150 },
            sort: { field: 'updated_at', order: 'ascending' },
          }),
        }),
    },
  ];
  const results: EmulatorThroughput[] = [];
  try {
    for (const { route, call } of routes) {
      const n = route.startsWith('POST') ? Math.ceil(opts.requests / 5) : opts.requests;
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: opts.concurrency }, async () => {
          while (next < n) {
            const res = await call(next++);
            if (res.status !== 200) throw new Error(`${route}: HTTP ${res.status}`);
            await res.arrayBuffer();
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rps = n / seconds;
      results.push({
        route,
        requests: n,
        concurrency: opts.concurrency,
        seconds,
        requestsPerSecond: Math.round(rps),
        ratioToDefaultRateLimit: Math.round((rps / (10_000 / 60)) * 10) / 10,
      });
    }
  } finally {
    await em.stop();
  }
  return results;
}
