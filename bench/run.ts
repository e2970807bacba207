/**
 * `npm run bench [-- --quick]`: runs the benchmarks, prints a table, writes bench/results/<date>.json.
 * Speed targets live here, not in the tests: the machines are shared and noisy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { measureEmulatorThroughput } from './emulator-throughput.js';
import { measureSync } from './sync-throughput.js';

const quick = process.argv.includes('--quick');

const emulator = await measureEmulatorThroughput({ requests: quick ? 2000 : 10_000, concurrency: 16 });
process.stdout.write('Emulator throughput (one process, loopback)\n');
for (const r of emulator) {
  process.stdout.write(
    `  ${r.route.padEnd(48)} ${String(r.requestsPerSecond).padStart(6)} req/s  (${r.ratioToDefaultRateLimit}× the default rate limit)\n`,
  );
}

const sync = await measureSync({ conversations: quick ? 1500 : 6000 });
const f1 = (n: number) => n.toFixed(1);
process.stdout.write(
  `\nSync, 7-day backfill at 150±50 ms latency and 10,000 calls/min (${sync.conversations} conversations, ${sync.messages} messages)\n` +
    `  ${f1(sync.conversationsPerSecond)} conv/s, ${f1(sync.messagesPerSecond)} msg/s; bound ${f1(sync.boundConversationsPerSecond)} conv/s; ` +
    `ratio ${(sync.ratioToBound * 100).toFixed(1)}% (target ≥ 90%)\n` +
    `  ${sync.apiCallsPerConversation.toFixed(3)} API calls per conversation (target ≤ 1.01), ${sync.rateLimited} × 429 (target 0)\n` +
    `  incremental, unchanged: ${sync.incrementalUnchanged.apiCalls} calls (target ≤ 2) in ${f1(sync.incrementalUnchanged.seconds)} s\n` +
    `  incremental, ${sync.incrementalOnePercent.changed} changed (1%): ${sync.incrementalOnePercent.apiCalls} calls, ` +
    `${sync.incrementalOnePercent.threadCalls} thread fetches, in ${f1(sync.incrementalOnePercent.seconds)} s\n`,
);

const results = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  emulator,
  sync,
};
const dir = join(PACKAGE_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${results.date.slice(0, 10)}${quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Wrote ${file}\n`);
