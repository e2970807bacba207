/**
 * Text as a hostile or careless upstream sends it, synced into each engine: a NUL in a message and
 * in a subject (PostgreSQL's text refuses U+0000, which once stopped every later sync), a lone
 * surrogate, and words typed with combining marks. Each engine stores what the other stores, and
 * answers every query of the table below with the same conversations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import type { Store } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { control } from '../helpers/http.js';

const NFD_ANGSTROM = 'A\u030Angstro\u0308m';
const NFD_MANANA = 'man\u0303ana';

/** Queries whose words an engine could read differently; both must answer each alike. */
const QUERIES = [
  'a & | b',
  'Ångström',
  NFD_ANGSTROM,
  'mañana',
  NFD_MANANA,
  'angstrom',
  "don't",
  'b2b',
  'e-mail',
  'C++ error',
  '50% off',
  'refund OR invoice',
  'refund NOT invoice',
  '"order 42"',
  'ordering*',
  'x',
];

interface Added {
  nul: string;
  nfd: string;
  surrogate: string;
}

async function addHostileConversations(em: RunningEmulator): Promise<Added> {
  const nul = (
    await control(em, 'POST', '/conversations', {
      subject: 'Invoice\u0000 question',
      body: 'Refund for order 42\u0000 please, it was charged twice',
    })
  ).json.id as string;
  const nfd = (
    await control(em, 'POST', '/conversations', {
      body: `The ${NFD_ANGSTROM} unit shows wrong, see you ${NFD_MANANA}`,
    })
  ).json.id as string;
  const surrogate = (
    await control(em, 'POST', '/conversations', {
      body: 'Broken emoji \uD83D here and C++ error b2b, an A/B test & | b-side',
    })
  ).json.id as string;
  await control(em, 'POST', `/conversations/${nul}/reply`, {
    author: 'admin',
    body: 'Refunded\u0000, sorry about that',
  });
  return { nul, nfd, surrogate };
}

const results: Record<string, Record<string, string[]>> = {};

for (const engine of ENGINES)
  describe(`hostile text from Intercom (${engine.name})`, () => {
    let em: RunningEmulator;
    let store: Store;
    let api: IntercomApi;
    let added: Added;
    before(async () => {
      // The same seed on both engines: the query table compares their answers.
      em = await startEmulator({ conversations: 200, days: 10, seed: 'hostile-text' });
      store = (await freshStore(engine)).store;
      api = new IntercomApi({ baseUrl: em.url, token: em.token });
      await runSync(api, store, { defaultDays: 30 });
      added = await addHostileConversations(em);
    });
    after(async () => {
      await store?.close();
      await em?.stop();
    });

    it('a NUL in a message and a subject, and a lone surrogate, sync; the next sync too', async () => {
      const first = await runSync(api, store, { defaultDays: 30 });
      assert.equal(first.complete, true);
      assert.ok(first.fetched >= 3, `the added conversations were fetched (${first.fetched})`);
      const nul = await store.getConversation(added.nul);
      assert.ok(nul, 'the conversation with a NUL is stored');
      assert.equal(nul.subject, 'Invoice question');
      assert.match(nul.sourceBody ?? '', /Refund for order 42 please/);
      assert.ok(
        nul.parts.some((p) => p.body === 'Refunded, sorry about that'),
        'the reply is stored without its NUL',
      );
      const surrogate = await store.getConversation(added.surrogate);
      assert.match(surrogate?.sourceBody ?? '', /Broken emoji \uFFFD here/);
      // A later change to the same conversation syncs as well: the copy is not stuck.
      await control(em, 'POST', `/conversations/${added.nul}/reply`, { body: 'Thanks\u0000!' });
      const second = await runSync(api, store, { defaultDays: 30 });
      assert.equal(second.kind, 'incremental');
      assert.ok((await store.getConversation(added.nul))!.parts.some((p) => p.body === 'Thanks!'));
      assert.equal((await store.status()).conversations, em.workspace.live().length);
    });

    it('a word typed with combining marks is found by either spelling', async () => {
      for (const typed of ['Ångström', NFD_ANGSTROM, 'angstrom', 'mañana', NFD_MANANA]) {
        const page = await store.searchConversations({
          text: typed,
          sort: 'newest',
          limit: 10,
          offset: 0,
        });
        assert.ok(
          page.hits.some((h) => h.id === added.nfd),
          `${JSON.stringify(typed)} finds the conversation written in decomposed form`,
        );
      }
      const stored = await store.getConversation(added.nfd);
      assert.ok(stored?.sourceBody?.includes('Ångström'), 'stored composed (NFC)');
    });

    it('collects its answers to the query table', async () => {
      const answers: Record<string, string[]> = {};
      for (const q of QUERIES) {
        const page = await store.searchConversations({ text: q, sort: 'newest', limit: 1000, offset: 0 });
        assert.equal(page.hits.length, page.total, `${q}: one page holds every match`);
        answers[q] = page.hits.map((h) => h.id).sort();
      }
      results[engine.name] = answers;
    });
  });

describe('both engines answer alike', () => {
  it('every query of the table matches the same conversations on SQLite and PostgreSQL', () => {
    const [a, b] = ENGINES.map((e) => results[e.name]);
    assert.ok(a && b, 'both engines ran the table');
    for (const q of QUERIES) assert.deepEqual(b[q], a[q], `${JSON.stringify(q)} answers alike`);
    assert.ok(
      QUERIES.some((q) => (a[q]?.length ?? 0) > 0),
      'the table finds something, so agreeing is not agreeing on nothing',
    );
  });
});
