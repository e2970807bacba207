/**
 * `--redact-at-sync` on both engines, through the command line as a person runs it: none of the
 * emulator's customer emails nor the phone and card numbers planted in messages reaches the copy
 * (read back whole through the store, and on SQLite in the database's bytes); a copy begun masked
 * stays masked when later syncs are not told; and a copy that already holds unmasked data is
 * refused, changing nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { openStore, type StoreTarget } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { MASKED_AT_SYNC_KEY } from '../../src/sync/masked-at-sync.js';
import { runCli } from '../helpers/cli.js';
import { ENGINES, targetEnv } from '../helpers/engines.js';
import { control } from '../helpers/http.js';

const DAYS = 10;
const PII = ['+1 415-555-0199', '020 7946 0958', '4242 4242 4242 4242', '5555-5555-5555-4444'];
const plantBody = (i: number) =>
  `Call me on ${PII[i % 2]}; card ${PII[2 + (i % 2)]} was charged twice, says quokkaledger.`;

/** Everything the copy holds that a person could read back: every conversation, contact and ticket. */
async function everything(store: Store, contactIds: string[]): Promise<string> {
  const out: string[] = [];
  const { total } = await store.searchConversations({ sort: 'newest', limit: 1, offset: 0 });
  for (let offset = 0; offset < total; offset += 50) {
    const page = await store.searchConversations({ sort: 'newest', limit: 50, offset });
    for (const hit of page.hits) out.push(JSON.stringify(await store.getConversation(hit.id)));
  }
  for (const id of contactIds) out.push(JSON.stringify((await store.getContact(id)) ?? null));
  const tickets = await store.searchTickets({ sort: 'newest', limit: 50, offset: 0 });
  for (const t of tickets.hits) out.push(JSON.stringify(await store.getTicket(t.id)));
  return out.join('\n').toLowerCase();
}

for (const engine of ENGINES)
  describe(`customers' personal data kept out of the copy (${engine.name})`, () => {
    let em: RunningEmulator;
    let target: StoreTarget;
    let env: Record<string, string>;
    const emails: string[] = [];
    const contactIds: string[] = [];
    const sync = (...flags: string[]) =>
      runCli(['--workspace', target.workspaceDir, ...flags, 'sync', '--days', String(DAYS)], env);

    before(async () => {
      em = await startEmulator({ conversations: 80, days: DAYS, seed: 'masked-at-sync' });
      for (let i = 0; i < 2; i++)
        await control(em, 'POST', '/conversations', { body: plantBody(i), contactIndex: i });
      for (const c of em.workspace.directory.contacts()) {
        contactIds.push(c.id);
        if (c.email) emails.push(c.email.toLowerCase());
      }
      target = await engine.fresh();
      env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_API_BASE_URL: em.url, ...targetEnv(target) };
    });
    after(() => em?.stop());

    it('syncs a fresh copy with none of them in it, placeholders in their place', async () => {
      const r = await sync('--redact-at-sync');
      assert.equal(r.code, 0, r.stderr);
      const store = await openStore(target);
      try {
        assert.equal(await store.getMeta(MASKED_AT_SYNC_KEY), 'cards,emails,phones');
        const all = await everything(store, contactIds);
        assert.deepEqual(
          [...emails, ...PII].filter((p) => all.includes(p.toLowerCase())),
          [],
        );
        for (const placeholder of ['[phone 1]', '[card 1]', '[email 1]'])
          assert.ok(all.includes(placeholder), placeholder);
        // Found by the words around them still; not by an address the copy never held.
        const found = await store.searchConversations({
          text: 'quokkaledger',
          sort: 'newest',
          limit: 5,
          offset: 0,
        });
        assert.equal(found.total, 2);
        assert.equal(await store.getContact(emails[0]!), undefined);
      } finally {
        await store.close();
      }
      if (!target.databaseUrl) {
        const file = join(target.workspaceDir, 'data.db');
        const bytes = [file, `${file}-wal`]
          .filter(existsSync)
          .map((f) => readFileSync(f).toString('latin1'))
          .join('');
        assert.deepEqual(
          [...emails, ...PII].filter((p) => bytes.toLowerCase().includes(p.toLowerCase())),
          [],
        );
      }
    });

    it('stays masked when a later sync is not told', async () => {
      const { id } = (await control(em, 'POST', '/conversations', { body: plantBody(0), contactIndex: 3 }))
        .json;
      const r = await sync();
      assert.equal(r.code, 0, r.stderr);
      const store = await openStore(target);
      try {
        const later = JSON.stringify(await store.getConversation(id));
        assert.match(later, /Call me on \[phone 1\]; card \[card 1\] was charged twice, says quokkaledger/);
        const all = await everything(store, contactIds);
        assert.deepEqual(
          PII.filter((p) => all.includes(p.toLowerCase())),
          [],
        );
      } finally {
        await store.close();
      }
    });

    it('refuses a copy that already holds unmasked data, and changes nothing', async () => {
      const plain = await engine.fresh();
      const plainEnv = { ...env, ...targetEnv(plain) };
      assert.equal(
        (await runCli(['--workspace', plain.workspaceDir, 'sync', '--days', '2'], plainEnv)).code,
        0,
      );
      const r = await runCli(
        ['--workspace', plain.workspaceDir, '--redact-at-sync', 'sync', '--days', '2'],
        plainEnv,
      );
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /already holds data synced without --redact-at-sync.*reset/);
      const store = await openStore(plain);
      try {
        assert.equal(await store.getMeta(MASKED_AT_SYNC_KEY), undefined);
        assert.ok((await everything(store, contactIds)).includes(PII[0]!.toLowerCase()));
      } finally {
        await store.close();
      }
    });
  });
