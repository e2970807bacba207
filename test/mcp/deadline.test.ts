/**
 * The deadline's contract, on every engine through a real client: the worst arguments the
 * benchmark times (bench/worst-case.ts, from src/integration/worst-queries.ts), against a copy
 * large enough to pass every bound, answer with work that stops at its bounds and say where:
 * a count past COUNT_BOUND is "more than", a ranking past RANK_WINDOW names its window, prefixes
 * past MAX_PREFIXES are named as searched whole. The exact figures each answer is held to come
 * from conversation_stats on the same copy, which counts every match. No time is asserted: the
 * benchmark measures what these bounds cost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { childEnv } from '../../src/integration/child-env.js';
import { frequentWords, worstQueries, type WorstQuery } from '../../src/integration/worst-queries.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { MAX_PREFIXES } from '../../src/store/search-text.js';
import { COUNT_BOUND, RANK_WINDOW } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { CLI } from '../helpers/cli.js';
import { ENGINES, freshStore, targetEnv } from '../helpers/engines.js';
import { connectChecked, type CheckedClient } from '../helpers/mcp.js';

/** Past RANK_WINDOW, so the frequent words' matches pass every bound. */
const CONVERSATIONS = RANK_WINDOW + 700;
const WIDEST = 'since 2000-01-01';

let em: RunningEmulator;
before(async () => {
  em = await startEmulator({ conversations: CONVERSATIONS, days: 30, seed: 'deadline', tickets: 10 });
});
after(async () => {
  await em.stop();
});

for (const engine of ENGINES)
  describe(`the worst arguments keep the deadline's contract (${engine.name})`, () => {
    let client: CheckedClient;
    let queries: WorstQuery[];

    before(async () => {
      const { store, target } = await freshStore(engine);
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 30 });
      queries = worstQueries(await frequentWords(store));
      await store.close();
      client = await connectChecked(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, '--test-mode', 'start'],
          env: childEnv({
            INTERCOM_API_BASE_URL: em.url,
            INTERCOM_ACCESS_TOKEN: em.token,
            ...targetEnv(target),
          }),
          stderr: 'pipe',
        }),
      );
    });
    after(async () => {
      await client.close();
    });

    /** Every conversation the search's text and filters match, counted by conversation_stats. */
    async function matches(args: Record<string, unknown>): Promise<number> {
      const { query, state, customer } = args;
      const r = await client.call('conversation_stats', { timeframe: WIDEST, query, state, customer });
      assert.ok(!r.isError, r.content[0]?.text);
      return r.structuredContent.total as number;
    }

    it('searches stop counting, ranking and paging at their bounds, and say so', async () => {
      const searches = queries.filter((q) => q.tool === 'search_conversations');
      assert.equal(searches.length, 5);
      for (const q of searches) {
        const r = await client.call(q.tool, q.args);
        assert.ok(!r.isError, `${q.label}: ${r.content[0]?.text}`);
        const s = r.structuredContent;
        const text = r.content[0]!.text;
        const n = await matches(q.args);
        if (q.label.endsWith("OR'd")) assert.ok(n > RANK_WINDOW, `${q.label}: ${n} matches pass the bounds`);
        if (n > COUNT_BOUND) {
          assert.deepEqual([s.total, s.more], [COUNT_BOUND, true], q.label);
          assert.match(text, /^More than 1,000 conversations match/, q.label);
        } else {
          assert.deepEqual([s.total, s.more], [n, false], q.label);
        }
        const relevance = q.args.sort === undefined;
        if (relevance && n > RANK_WINDOW) {
          assert.equal(s.ranked, RANK_WINDOW, q.label);
          assert.ok(
            text.includes(
              `Ranked by relevance among the ${RANK_WINDOW.toLocaleString('en-US')} most recently updated`,
            ),
            q.label,
          );
        } else {
          assert.equal(s.ranked, undefined, q.label);
        }
        assert.ok(s.conversations.length <= Math.min(n, 60), q.label);
        assert.equal(s.conversations.length > 0, n > 0, q.label);
        const prefixes = String(q.args.query)
          .split(' ')
          .filter((w) => w.endsWith('*'));
        if (prefixes.length > MAX_PREFIXES)
          assert.match(
            text,
            new RegExp(
              `Searched ${prefixes.slice(MAX_PREFIXES).join(', ').replace(/\*/g, '\\*')} as whole words`,
            ),
            q.label,
          );
      }
    });

    it('a page past the ranked window is empty and offers no cursor', async () => {
      const q = queries[0]!;
      let cursor: string | undefined;
      let seen = 0;
      for (let page = 0; page < 200; page++) {
        const r = await client.call(q.tool, { ...q.args, ...(cursor ? { cursor } : {}) });
        assert.ok(!r.isError, r.content[0]?.text);
        seen += r.structuredContent.conversations.length;
        cursor = r.structuredContent.next_cursor;
        if (!cursor) break;
      }
      assert.equal(cursor, undefined);
      assert.equal(seen, RANK_WINDOW);
    });

    it('stats over the widest timeframe count every conversation exactly', async () => {
      const q = queries.find((w) => w.tool === 'conversation_stats')!;
      const r = await client.call(q.tool, q.args);
      assert.ok(!r.isError, r.content[0]?.text);
      assert.equal(r.structuredContent.total, CONVERSATIONS);
    });
  });
