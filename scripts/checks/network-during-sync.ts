/**
 * ./scripts/monitor_network_during_sync.sh: the network a sync of the last --days uses, by phase
 * and second by second: calls, bytes received from Intercom (the answers' bodies), the busiest
 * second, and the bytes a conversation costs, against the procedures' "optimized API calls" (the
 * calls per conversation target of tests/config.json).
 */
import { judge, TARGETS } from '../../src/integration/targets.js';
import { options, runChecks } from './harness.js';
import { figuresBy, intercomTarget, mb, phaseOf, recordedSync } from './instrumented-sync.js';

const opts = options({ days: 7, conversations: 1500 });

await runChecks('Network during sync', async ({ ok, info, judged }) => {
  const target = await intercomTarget({ conversations: opts.conversations, days: Math.max(opts.days, 30) });
  info(`Intercom: ${target.label}`);
  try {
    const run = await recordedSync(target, opts.days);
    const { result, answers, wallMs } = run;
    const bytes = answers.reduce((n, a) => n + a.bytes, 0);
    info(
      `${answers.length} calls, ${mb(bytes)} received in ${(wallMs / 1000).toFixed(1)} s (${mb(bytes / (wallMs / 1000))}/s on average)`,
    );
    info('By phase:');
    for (const f of figuresBy(answers, (a) => phaseOf(a.route)))
      info(`  ${f.name.padEnd(36)} ${String(f.calls).padStart(6)} calls  ${mb(f.bytes).padStart(9)}`);
    const perSecond = new Map<number, { calls: number; bytes: number }>();
    for (const a of answers) {
      const s = Math.floor(a.at / 1000);
      const t = perSecond.get(s) ?? { calls: 0, bytes: 0 };
      t.calls++;
      t.bytes += a.bytes;
      perSecond.set(s, t);
    }
    info('Second by second (calls, bytes):');
    for (const [s, t] of [...perSecond].sort((a, b) => a[0] - b[0]).slice(0, 30))
      info(`  ${String(s).padStart(4)} s  ${String(t.calls).padStart(5)}  ${mb(t.bytes).padStart(9)}`);
    ok(result.fetched > 0, 'the sync fetched conversations', String(result.fetched));
    info(`${(bytes / result.fetched / 1000).toFixed(1)} KB received per conversation`);
    // Tickets and articles are read whole as conversations are: one call each counts as one record.
    const perConversation = result.apiCalls / (result.fetched + result.tickets + result.articles);
    judged(
      judge(TARGETS.apiCallsPerConversation, perConversation),
      `${perConversation.toFixed(2)} API calls per record read (conversations, tickets, articles)`,
      `target ≤ ${TARGETS.apiCallsPerConversation.target}`,
    );
    await run.discard();
  } finally {
    await target.stop();
  }
});
