/**
 * ./scripts/analyze_memory_profile.sh: where a sync's memory goes. A sync of the last --days runs
 * in this process under V8's sampling heap profiler; the report gives the heap and resident memory
 * before, at the peak and after, the allocation sites that held the most memory while sampled, and
 * the peak against the procedures' 150 MB (tests/config.json). The profile is written to --output
 * for Chrome DevTools (Memory → Load).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { judge, TARGETS } from '../../src/integration/targets.js';
import { options, runChecks } from './harness.js';
import { intercomTarget, mb, recordedSync } from './instrumented-sync.js';

const opts = options({ days: 7, conversations: 1500, output: 'sync.heapprofile' });

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Self sizes added up by function, largest first. */
function topAllocators(root: SamplingNode, count: number) {
  const bySite = new Map<string, number>();
  const walk = (n: SamplingNode) => {
    const f = n.callFrame;
    const site = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^file:\/\//, '')}:${f.lineNumber + 1}` : '(native)'}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    n.children.forEach(walk);
  };
  walk(root);
  return [...bySite].sort((a, b) => b[1] - a[1]).slice(0, count);
}

await runChecks('Memory profile', async ({ ok, info, judged }) => {
  const target = await intercomTarget({ conversations: opts.conversations, days: Math.max(opts.days, 30) });
  info(`Intercom: ${target.label}`);
  const session = new Session();
  session.connect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  try {
    await session.post('HeapProfiler.startSampling', { samplingInterval: 32 * 1024 });
    const run = await recordedSync(target, opts.days);
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
      profile: { head: SamplingNode };
    };
    clearInterval(sampler);
    writeFileSync(opts.output, JSON.stringify(profile));
    ok(run.result.complete, 'the sync completed', `${run.result.fetched} conversations`);
    const after = process.memoryUsage();
    info(
      `Heap used: ${mb(before.heapUsed)} before, ${mb(peakHeap)} at the peak, ${mb(after.heapUsed)} after`,
    );
    info(`Resident: ${mb(before.rss)} before, ${mb(peakRss)} at the peak, ${mb(after.rss)} after`);
    info(
      `Outside the heap now: ${mb(after.external)} external (buffers, SQLite's cache counts in resident only), ${mb(after.arrayBuffers)} in array buffers`,
    );
    info(`Where the sampled memory was allocated (profile: ${opts.output}):`);
    for (const [site, bytes] of topAllocators(profile.head, 10)) info(`  ${mb(bytes).padStart(9)}  ${site}`);
    judged(
      judge(TARGETS.syncPeakRssMb, peakRss / 1e6),
      `peak resident memory ${mb(peakRss)} (this process, with the profiler)`,
      `target ≤ ${TARGETS.syncPeakRssMb.target} MB`,
    );
    await run.discard();
  } finally {
    clearInterval(sampler);
    session.disconnect();
    await target.stop();
  }
});
