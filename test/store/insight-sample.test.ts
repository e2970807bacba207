/**
 * The insight answers' sample, on both engines against the emulator's ground truth: past the sample
 * size, themes and service levels read exactly the conversations the rule in sample.ts picks (their
 * creation second hashed below the bound), the same ones every time; the planted theme still ranks
 * first with a count scaled near the truth; below the sample size, everything is read. A filtered
 * window (read from the conversations) picks by the same rule as a whole one (read from the terms
 * table), and a conversation deleted leaves both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { sampleBound } from '../../src/store/sample.js';
import type { LevelsRequest, Store, ThemesRequest } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const PHRASE = 'nebula invoice';
const PLANTED = 60;
const SAMPLE = 120;
/** The hash the sample takes of a creation second (SAMPLE_SQL in insight-rows.ts). */
const picked = (createdAt: number, below: number) => ((createdAt % 65536) * 40503) % 65536 < below;

for (const engine of ENGINES)
  describe(`the insight answers' sample (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    before(async () => {
      em = await startEmulator({
        conversations: 700,
        days: 20,
        seed: `insight-sample-${engine.name}`,
        theme: { phrase: PHRASE, conversations: PLANTED, days: 5 },
      });
      ({ store } = await freshStore(engine));
      await runSync(new IntercomApi({ baseUrl: em.url, token: em.token }), store, { defaultDays: 20 });
    });
    after(async () => {
      await store?.close();
      await em?.stop();
    });

    const now = Math.floor(Date.now() / 1000);
    const window = { from: now - 10 * 86400, to: now + 1 };
    const inWindow = () =>
      em.workspace.live().filter((s) => s.createdAt >= window.from && s.createdAt < window.to);
    const themes = (sample: number): ThemesRequest => ({
      ...window,
      baselineFrom: now - 20 * 86400,
      baselineTo: window.from,
      filters: {},
      exclude: [],
      minCount: 3,
      limit: 5,
      sample,
    });

    it('reads every conversation of a window within the sample size', async () => {
      const t = await store.conversationThemes(themes(10_000));
      assert.equal(t.read.period, inWindow().length);
      assert.equal(t.conversations, inWindow().length);
      assert.equal(t.themes[0]?.term, PHRASE);
      assert.equal(t.themes[0]?.count, PLANTED);
    });

    it('past it, themes read the conversations the rule picks, the same each time', async () => {
      const total = inWindow().length;
      assert.ok(total > 2 * SAMPLE, `a window of ${total}`);
      const below = sampleBound(total, SAMPLE);
      const want = inWindow().filter((s) => picked(s.createdAt, below));
      const first = await store.conversationThemes(themes(SAMPLE));
      assert.equal(first.conversations, total);
      assert.equal(first.read.period, want.length);
      assert.deepEqual(await store.conversationThemes(themes(SAMPLE)), first);
      const theme = first.themes[0]!;
      assert.equal(theme.term, PHRASE);
      const pickedPlanted = want.filter((s) => em.workspace.themedConversations().some((c) => c.id === s.id));
      assert.equal(theme.count, Math.round((pickedPlanted.length * total) / want.length));
      for (const id of theme.examples)
        assert.ok(
          pickedPlanted.some((s) => s.id === id),
          `${id} is a sampled conversation of the theme`,
        );
    });

    it('past it, service levels read the same conversations and scale their counts', async () => {
      const total = inWindow().length;
      const below = sampleBound(total, SAMPLE);
      const request: LevelsRequest = {
        ...window,
        buckets: [window.from],
        filters: {},
        of: 'conversations',
        sample: SAMPLE,
      };
      const l = await store.serviceLevels(request);
      assert.equal(l.total, total);
      assert.equal(l.read, inWindow().filter((s) => picked(s.createdAt, below)).length);
      assert.equal(l.overall.count, total);
      const whole = await store.serviceLevels({ ...request, sample: 10_000 });
      assert.equal(whole.read, total);
      assert.equal(whole.overall.count, total);
    });

    it('a filtered window past the sample reads the conversations the rule picks among those the filter keeps', async () => {
      const open = inWindow().filter((s) => s.state === 'open');
      const sample = Math.floor(open.length / 3);
      const below = sampleBound(open.length, sample);
      const t = await store.conversationThemes({ ...themes(sample), filters: { state: 'open' } });
      assert.equal(t.conversations, open.length);
      assert.equal(t.read.period, open.filter((s) => picked(s.createdAt, below)).length);
    });

    it('a deleted conversation leaves the themes, filtered or not', async () => {
      const planted = em.workspace.themedConversations().map((c) => c.id);
      const gone = planted.slice(0, 10);
      await store.markDeleted(gone, now);
      const whole = await store.conversationThemes(themes(10_000));
      assert.equal(whole.conversations, inWindow().length - gone.length);
      assert.equal(whole.read.period, whole.conversations);
      assert.equal(whole.themes[0]?.term, PHRASE);
      assert.equal(whole.themes[0]?.count, PLANTED - gone.length);
      assert.ok(whole.themes[0]!.examples.every((id) => !gone.includes(id)));
      let filtered = 0;
      for (const state of new Set(inWindow().map((s) => s.state))) {
        const t = await store.conversationThemes({ ...themes(10_000), filters: { state } });
        assert.equal(t.read.period, t.conversations, state);
        filtered += t.conversations;
      }
      assert.equal(filtered, whole.conversations);
    });
  });
