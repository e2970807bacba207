/**
 * The worst queries the tools allow, against one shared `serve` process over Streamable HTTP: the
 * most frequent words at the term cap, OR'd, AND'd and as a phrase, with every filter and the
 * widest timeframe, while another client asks for status. Argument bounds are what keeps one
 * client from stalling the others; this measures that they are tight enough.
 */
import { percentile } from '../src/insights/service-levels.js';
import { startServeProcess } from '../src/integration/serve-process.js';
import { worstQueries } from '../src/integration/worst-queries.js';

const TOKEN = 'bench-worst-case-token';

export interface WorstCaseBench {
  queries: { label: string; p50: number; max: number; total: number }[];
  worstMs: number;
  statusMeanwhileMs: { count: number; p50: number; p95: number };
}

export async function measureWorstCase(
  dir: string,
  env: Record<string, string>,
  frequentWords: string[],
  rounds = 5,
): Promise<WorstCaseBench> {
  const serve = await startServeProcess(dir, env, TOKEN);
  const [abuser, bystander] = [await serve.connect(), await serve.connect()];
  const results: WorstCaseBench['queries'] = [];
  const statuses: number[] = [];
  try {
    for (const { label, tool, args } of worstQueries(frequentWords)) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < rounds; i++) {
        let done = false;
        const t = performance.now();
        const query = abuser.callTool({ name: tool, arguments: args }).then((r) => {
          done = true;
          times.push(performance.now() - t);
          const s = r.structuredContent as { total?: number } | undefined;
          if (r.isError) throw new Error(`${label}: ${JSON.stringify(r.content).slice(0, 200)}`);
          total = s?.total ?? 0;
        });
        while (!done) {
          const s = performance.now();
          await bystander.callTool({ name: 'get_server_status', arguments: {} });
          statuses.push(performance.now() - s);
        }
        await query;
      }
      results.push({ label, p50: percentile(times, 50), max: Math.max(...times), total });
    }
  } finally {
    await abuser.close();
    await bystander.close();
    await serve.stop();
  }
  return {
    queries: results,
    worstMs: Math.max(...results.map((r) => r.p50)),
    statusMeanwhileMs: {
      count: statuses.length,
      p50: percentile(statuses, 50),
      p95: percentile(statuses, 95),
    },
  };
}
