/**
 * ./scripts/measure_api_latency.sh: how fast Intercom answers each route the sync uses, asked
 * --samples times each, one at a time (so the figures are Intercom's and the network's, not a
 * queue's): p50, p95 and the slowest, with the bytes of an answer. Read-only calls only.
 */
import { MAX_PER_PAGE } from '../../src/intercom/client.js';
import { options, runChecks } from './harness.js';
import { figuresBy, intercomTarget, ms, recordingApi } from './instrumented-sync.js';

const opts = options({ samples: 10 });

await runChecks('API latency', async ({ ok, info }) => {
  ok(Number.isInteger(opts.samples) && opts.samples >= 1, `--samples ${opts.samples} is a whole number ≥ 1`);
  const target = await intercomTarget({ conversations: 300, days: 30 });
  info(`Intercom: ${target.label}`);
  const { api, answers } = recordingApi(target);
  try {
    const me = await api.me();
    ok(Boolean(me.app), 'GET /me answers with the workspace', me.app?.name ?? '');
    const since = Math.floor(Date.now() / 1000) - 30 * 86400;
    const page = await api.searchConversations({
      query: { field: 'updated_at', operator: '>', value: since },
      perPage: MAX_PER_PAGE,
    });
    const ids = page.conversations.map((c) => c.id);
    ok(ids.length > 0, 'the last 30 days hold conversations to read', `${page.total_count} of them`);
    for (let i = 0; i < opts.samples; i++) {
      await api.me();
      await api.listAdmins();
      await api.searchConversations({
        query: { field: 'updated_at', operator: '>', value: since },
        perPage: MAX_PER_PAGE,
      });
      await api.getConversation(ids[i % ids.length]!);
    }
    info(`Each route ${opts.samples} times, one call at a time:`);
    for (const f of figuresBy(answers, (a) => a.route))
      info(
        `  ${f.name.padEnd(30)} ${String(f.calls).padStart(4)} calls  p50 ${ms(f.p50).padStart(7)}  p95 ${ms(f.p95).padStart(7)}  max ${ms(f.max).padStart(7)}  ${(f.bytes / f.calls / 1000).toFixed(1)} KB an answer`,
      );
    const failed = answers.filter((a) => a.status >= 400);
    ok(
      failed.length === 0,
      'every call answered 2xx',
      failed.map((a) => `${a.route} ${a.status}`).join(', '),
    );
  } finally {
    await target.stop();
  }
});
