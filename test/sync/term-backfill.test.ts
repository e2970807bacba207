/**
 * A copy synced before themes were kept (its conversations and tickets without terms, its terms
 * table empty): themes count those conversations but say their words are not indexed, and the next
 * sync gives them their terms, after which the planted theme ranks first with the workspace's
 * count and names the newest tickets carrying it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { IntercomApi } from '../../src/intercom/client.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import type { ThemesRequest } from '../../src/store/types.js';
import { runSync } from '../../src/sync/engine.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const PHRASE = 'quasar gateway';

/** What an older version left, as schemas 17 and 18 take it over: no terms on any conversation or ticket, none named. */
async function forgetTerms(target: StoreTarget): Promise<void> {
  const statements = [
    'UPDATE conversation_terms SET terms = NULL',
    'UPDATE ticket_terms SET terms = NULL',
    'DELETE FROM terms',
  ];
  if (!target.databaseUrl) {
    const db = new Database(join(target.workspaceDir, 'data.db'));
    for (const s of statements) db.prepare(s).run();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    for (const s of statements)
      await client.query(s.replace(/(FROM|UPDATE) (\w+)/, '$1 fast_intercom_mcp.$2'));
  } finally {
    await client.end();
  }
}

for (const engine of ENGINES)
  describe(`terms for a copy synced before themes (${engine.name})`, () => {
    let em: RunningEmulator;
    before(async () => {
      em = await startEmulator({
        conversations: 300,
        days: 20,
        seed: `term-backfill-${engine.name}`,
        theme: { phrase: PHRASE, conversations: 12, tickets: 2, days: 4 },
      });
    });
    after(async () => em?.stop());

    it('counts the old conversations without their words, then indexes them at the next sync', async () => {
      const api = new IntercomApi({ baseUrl: em.url, token: em.token });
      const { store, target } = await freshStore(engine);
      await runSync(api, store, { defaultDays: 20 });
      await store.close();
      await forgetTerms(target);

      const now = Math.floor(Date.now() / 1000);
      const request: ThemesRequest = {
        from: now - 7 * 86400,
        to: now + 1,
        baselineFrom: now - 35 * 86400,
        baselineTo: now - 7 * 86400,
        filters: {},
        exclude: [],
        minCount: 3,
        limit: 5,
        sample: 20_000,
      };
      const live = em.workspace.live();
      const inWindow = live.filter((s) => s.createdAt >= request.from && s.createdAt < request.to).length;
      const inBaseline = live.filter(
        (s) => s.createdAt >= request.baselineFrom && s.createdAt < request.baselineTo,
      ).length;

      const reopened = await openStore(target);
      try {
        const old = await reopened.conversationThemes(request);
        assert.equal(old.conversations, inWindow);
        assert.equal(old.unindexed, inWindow + inBaseline, 'every conversation is counted as not indexed');
        assert.deepEqual(old.themes, []);

        await runSync(api, reopened, { defaultDays: 20 });
        const now2 = await reopened.conversationThemes(request);
        assert.equal(now2.unindexed, 0);
        assert.equal(now2.themes[0]?.term, PHRASE);
        assert.equal(now2.themes[0]?.count, em.workspace.themedConversations().length);
        const tickets = em.workspace.tickets
          .themedTickets()
          .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
          .slice(0, 3)
          .map((t) => t.id);
        assert.deepEqual(now2.themes[0]?.tickets, tickets);
      } finally {
        await reopened.close();
      }
    });
  });
