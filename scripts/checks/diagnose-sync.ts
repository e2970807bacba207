/**
 * ./scripts/diagnose_sync_performance.sh and ./scripts/profile_sync_performance.sh: a recorded sync
 * of the last --days into a temporary copy, reported by phase (listing, threads, contacts, the
 * workspace's lists): calls, time and bytes of each, the slowest calls, the waits on the rate limit,
 * and what bounds the sync. With --profile (profile_sync_performance.sh) the run is also
 * CPU-profiled in this process, and the functions that took the most time are listed; the profile
 * is written to --output for Chrome's DevTools.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { TARGETS } from '../../src/integration/targets.js';
import { options, runChecks } from './harness.js';
import {
  figuresBy,
  inFlightShare,
  intercomTarget,
  mb,
  ms,
  phaseOf,
  recordedSync,
} from './instrumented-sync.js';
import { topFunctions, type CpuProfile } from './cpu-profile.js';

const opts = options({ days: 7, conversations: 1500, profile: false, output: 'sync.cpuprofile' });
const title = opts.profile ? 'Sync profile' : 'Sync performance diagnosis';

await runChecks(title, async ({ ok, info }) => {
  const target = await intercomTarget({ conversations: opts.conversations, days: Math.max(opts.days, 30) });
  info(`Intercom: ${target.label}`);
  const session = opts.profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  try {
    const run = await recordedSync(target, opts.days);
    const { result, answers, waits, wallMs } = run;
    const seconds = wallMs / 1000;
    const speed = result.fetched / seconds;
    info(
      `Synced ${result.fetched} conversations (${result.parts} messages) in ${seconds.toFixed(1)} s with ${result.apiCalls} calls: ${speed.toFixed(1)} conversations/s`,
    );
    info('By phase (calls, their time added up though many run at once, p50 / p95, bytes):');
    for (const f of figuresBy(answers, (a) => phaseOf(a.route)))
      info(
        `  ${f.name.padEnd(36)} ${String(f.calls).padStart(6)} calls ${(f.totalMs / 1000).toFixed(1).padStart(7)} s  ${ms(f.p50)} / ${ms(f.p95)}  ${mb(f.bytes)}`,
      );
    info('Slowest calls:');
    for (const a of [...answers].sort((x, y) => y.ms - x.ms).slice(0, 5))
      info(`  ${a.route} → ${a.status} in ${ms(a.ms)} (${(a.at / 1000).toFixed(1)} s into the run)`);
    const waitedMs = waits.reduce((n, w) => n + w.ms, 0);
    info(
      `Rate limit: ${waits.length} waits, ${(waitedMs / 1000).toFixed(1)} s in all; ${result.rateLimited} answers were 429; ${result.retries} retries`,
    );
    // What bounds it: waiting on the limit, on Intercom's answers, or on this process.
    const waiting = inFlightShare(answers, wallMs);
    const atOnce = answers.reduce((n, a) => n + a.ms, 0) / wallMs;
    info(
      `Waiting on Intercom: a call in flight ${(waiting * 100).toFixed(0)}% of the run, ${atOnce.toFixed(1)} at once on average`,
    );
    const bound =
      waitedMs > wallMs * 0.3
        ? "Intercom's rate limit: the sync waited on it for a third of the run or more"
        : waiting > 0.8
          ? "Intercom's answers: a call was in flight most of the time; check the latency to Intercom (measure_api_latency.sh)"
          : 'this machine (the database or the CPU): Intercom was often not being waited on (profile_sync_performance.sh)';
    info(`Bound by: ${bound}`);
    if (session) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      writeFileSync(opts.output, JSON.stringify(profile));
      info(`CPU profile: ${opts.output} (open it in Chrome DevTools → Performance)`);
      info('Most time, by function (self time):');
      for (const f of topFunctions(profile, 10))
        info(`  ${(f.selfMs / 1000).toFixed(2).padStart(6)} s  ${f.name}  ${f.where}`);
    }
    ok(result.complete, 'the sync completed');
    ok(
      speed >= TARGETS.syncConversationsPerSecond.target || result.fetched < 50,
      `sync speed ${speed.toFixed(1)} conversations/s (target ≥ ${TARGETS.syncConversationsPerSecond.target})`,
    );
    await run.discard();
  } finally {
    session?.disconnect();
    await target.stop();
  }
});
