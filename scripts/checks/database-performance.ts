/**
 * ./scripts/profile_database_performance.sh: the store's queries timed on the copy in use (the
 * workspace's SQLite file, or FASTINTERCOM_DATABASE_URL's PostgreSQL), each --runs times: the
 * status, a page of the newest, text searches (a common word, a rare one, a phrase), a whole
 * conversation, a month's statistics, contacts and the directory.
 *
 * ./scripts/test_database_performance.sh (--fresh): the same on a new copy in a temporary
 * workspace, after writing --conversations realistic conversations into it, a transaction each (rendered
 * by the emulator, no network; a sync groups the threads it reads side by side, so this is its worst case), judged against the procedures' "100+
 * conversations/second to SQLite" and the query targets of tests/config.json.
 */
import { rmSync } from 'node:fs';
import { loadSettings } from '../../src/config/settings.js';
import { resolveWorkspace } from '../../src/config/workspace-paths.js';
import { renderConversation } from '../../src/emulator/render.js';
import { Workspace } from '../../src/emulator/workspace.js';
import { percentile } from '../../src/insights/service-levels.js';
import { judge, TARGETS, type Target } from '../../src/integration/targets.js';
import { conversationSchema } from '../../src/intercom/schemas.js';
import { engineOf, openStore, storeLocation, type StoreTarget } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { toConversationRecord } from '../../src/sync/mapping.js';
import { tempWorkspace } from '../../test/helpers/cli.js';
import { options, runChecks, type Steps } from './harness.js';

const opts = options({ workspace: '', fresh: false, conversations: 1000, runs: 20 });

/** The words of the newest subjects, most frequent first (letters only, four or more). */
async function subjectWords(store: Store): Promise<string[]> {
  const hits = (await store.searchConversations({ sort: 'newest', limit: 200, offset: 0 })).hits;
  const counts = new Map<string, number>();
  for (const h of hits)
    for (const w of h.subject.toLowerCase().match(/\p{L}{4,}/gu) ?? [])
      counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

async function timeQueries(store: Store, steps: Steps): Promise<void> {
  const { ok, info, judged } = steps;
  const newest = (await store.searchConversations({ sort: 'newest', limit: 1, offset: 0 })).hits[0];
  ok(newest !== undefined, 'the copy holds conversations to query');
  const words = await subjectWords(store);
  const now = Date.now() / 1000;
  const month = { from: now - 30 * 86400, to: now };
  const phrase = newest!.subject.split(/\s+/).slice(0, 2).join(' ');
  const queries: [name: string, run: () => Promise<unknown>, target?: Target][] = [
    ['status', () => store.status(), TARGETS.statusAverageMs],
    ['newest page (50)', () => store.searchConversations({ sort: 'newest', limit: 50, offset: 0 })],
    [
      `search: a common word ("${words[0]}")`,
      () => store.searchConversations({ text: words[0]!, sort: 'relevance', limit: 50, offset: 0 }),
      TARGETS.searchAverageMs,
    ],
    [
      `search: a rare word ("${words.at(-1)}")`,
      () => store.searchConversations({ text: words.at(-1)!, sort: 'relevance', limit: 50, offset: 0 }),
      TARGETS.searchAverageMs,
    ],
    [
      `search: a phrase ("${phrase}")`,
      () => store.searchConversations({ text: `"${phrase}"`, sort: 'relevance', limit: 50, offset: 0 }),
      TARGETS.searchAverageMs,
    ],
    ['a whole conversation', () => store.getConversation(newest!.id), TARGETS.getConversationAverageMs],
    [
      'statistics of 30 days',
      () => store.conversationStats({ ...month, filters: {}, buckets: [month.from] }),
    ],
    [`contacts matching "${words[1] ?? 'a'}"`, () => store.searchContacts(words[1] ?? 'a', 20)],
    ['the directory', () => store.workspaceDirectory()],
  ];
  info(`Each query ${opts.runs} times (after one to warm up):`);
  for (const [name, run, target] of queries) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    const average = times.reduce((n, v) => n + v, 0) / times.length;
    const line = `${name}: ${average.toFixed(2)} ms average, p95 ${percentile(times, 95).toFixed(2)} ms`;
    if (target) judged(judge(target, average), line, `target ≤ ${target.target} ms`);
    else info(`  ${line}`);
  }
}

/** Writes `count` emulated conversations a transaction each, as a sync stores threads that come one by one. */
async function timeWrites(store: Store, count: number, steps: Steps): Promise<void> {
  const ws = new Workspace({ seed: 'database-performance', conversations: count, days: 90 });
  const records = ws
    .live()
    .map((s) =>
      toConversationRecord(conversationSchema.parse(renderConversation(ws, s, { plaintext: true }))),
    );
  const messages = records.reduce((n, r) => n + r.parts.length, 0);
  const t = performance.now();
  for (const r of records) await store.saveConversations([r]);
  const seconds = (performance.now() - t) / 1000;
  const speed = records.length / seconds;
  steps.judged(
    judge(TARGETS.databaseWritesPerSecond, speed),
    `wrote ${records.length} conversations (${messages} messages) in ${seconds.toFixed(2)} s: ${speed.toFixed(0)} conversations/s, ${(messages / seconds).toFixed(0)} messages/s`,
    `target ≥ ${TARGETS.databaseWritesPerSecond.target} conversations/s`,
  );
}

await runChecks(opts.fresh ? 'Database performance test' : 'Database performance profile', async (steps) => {
  let target: StoreTarget;
  let scratch: string | undefined;
  if (opts.fresh) {
    scratch = tempWorkspace('fim-dbperf-');
    // SQLite, as the procedures measure, and never into a configured database.
    target = { workspaceDir: scratch, databaseUrl: undefined };
  } else {
    target = loadSettings(resolveWorkspace(opts.workspace ? { workspace: opts.workspace } : {})).store;
    steps.ok(
      await engineOf(target).exists(target),
      `a copy at ${storeLocation(target).description}`,
      'sync one first (fast-intercom-mcp sync), or give --workspace',
    );
  }
  steps.info(`Copy: ${storeLocation(target).description}`);
  const store = await openStore(target);
  try {
    if (opts.fresh) await timeWrites(store, opts.conversations, steps);
    await timeQueries(store, steps);
  } finally {
    await store.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
});
