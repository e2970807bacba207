/**
 * Names and emails are matched ignoring case and diacritics by Unicode's rules on every engine:
 * SQLite's LIKE folds ASCII only, and PostgreSQL's ILIKE follows the database's locale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { conversationRecord } from '../helpers/records.js';

const T0 = 1_760_000_000;
const PEOPLE = [
  { id: 'c-elodie', name: 'Élodie Dürr', email: 'ELODIE.DURR@Exemple.FR' },
  { id: 'c-sven', name: 'SVEN ÅSTRÖM', email: 'sven@example.se' },
  { id: 'c-ada', name: 'Ada Lovelace', email: 'ada@example.com' },
];

for (const engine of ENGINES)
  describe(`matching people by name and email (${engine.name})`, () => {
    let store: Store;
    before(async () => {
      store = (await freshStore(engine)).store;
      await store.saveContacts(PEOPLE.map((p) => ({ ...p, role: 'user', externalId: null, createdAt: T0 })));
      await store.saveConversations(
        PEOPLE.map((p, i) => {
          const r = conversationRecord(
            `conv-${p.id}`,
            { createdAt: T0 + i, updatedAt: T0 + i },
            { subject: `question ${i}`, body: 'hello' },
          );
          r.conversation.contactIds = [p.id];
          return r;
        }),
      );
      await store.saveAdmins([{ id: 'a1', type: 'admin', name: 'Zoë Ærø', email: 'Zoe@Support.example' }]);
      await store.saveTeams([{ id: 't1', name: 'Équipe Française', adminIds: ['a1'] }]);
      await store.saveTags([
        { id: 'g1', name: 'Überweisung' },
        { id: 'g2', name: 'billing' },
      ]);
    });
    after(() => store.close());

    const customerHits = async (customer: string) =>
      (await store.searchConversations({ customer, sort: 'newest', limit: 10, offset: 0 })).hits.map(
        (h) => h.id,
      );

    const cases: [string, string[]][] = [
      ['élodie', ['conv-c-elodie']],
      ['ELODIE', ['conv-c-elodie']],
      ['elodie durr', ['conv-c-elodie']],
      ['DÜRR', ['conv-c-elodie']],
      ['exemple.fr', ['conv-c-elodie']],
      ['åström', ['conv-c-sven']],
      ['astrom', ['conv-c-sven']],
      ['ADA@EXAMPLE.COM', ['conv-c-ada']],
      ['100%', []],
      ['e_odie', []],
    ];
    for (const [text, expected] of cases)
      it(`a customer filter of "${text}" finds ${expected.length ? expected.join(', ') : 'nothing'}`, async () => {
        assert.deepEqual(await customerHits(text), expected);
      });

    it('finds contacts and a contact by email whatever the case and accents', async () => {
      assert.deepEqual(
        (await store.searchContacts('DURR', 10)).map((c) => c.id),
        ['c-elodie'],
      );
      assert.deepEqual(
        (await store.searchContacts('ström', 10)).map((c) => c.id),
        ['c-sven'],
      );
      assert.equal((await store.getContact('elodie.durr@exemple.fr'))?.id, 'c-elodie');
      assert.equal(
        (await store.getContact('c-ada'))?.name,
        'Ada Lovelace',
        'the stored name comes back as written',
      );
      assert.equal(await store.getContact('nobody@example.com'), undefined);
    });

    it('resolves admins, teams and tags by name or email, exactly first, then by containing', async () => {
      assert.deepEqual(await store.findReference('admin', 'ZOË ÆRØ'), [{ id: 'a1', name: 'Zoë Ærø' }]);
      assert.deepEqual(await store.findReference('admin', 'zoe@support.EXAMPLE'), [
        { id: 'a1', name: 'Zoë Ærø' },
      ]);
      assert.deepEqual(await store.findReference('team', 'equipe'), [{ id: 't1', name: 'Équipe Française' }]);
      assert.deepEqual(await store.findReference('tag', 'uberweisung'), [{ id: 'g1', name: 'Überweisung' }]);
      assert.deepEqual(await store.findReference('tag', 'g2'), [{ id: 'g2', name: 'billing' }]);
      assert.deepEqual(await store.findReference('tag', 'I'), [
        { id: 'g2', name: 'billing' },
        { id: 'g1', name: 'Überweisung' },
      ]);
    });

    it('finds a conversation by its contact once the contact is known, renamed, and saved again as it is', async () => {
      const r = conversationRecord(
        'conv-grace',
        { createdAt: T0 + 9, updatedAt: T0 + 9 },
        { subject: 'toner', body: 'printer' },
      );
      r.conversation.contactIds = ['c-grace'];
      await store.saveConversations([r]);
      const textHits = async (text: string) =>
        (await store.searchConversations({ text, sort: 'newest', limit: 10, offset: 0 })).hits.map(
          (h) => h.id,
        );
      assert.deepEqual(await textHits('hopper'), [], 'the contact is not known yet');
      const grace = {
        id: 'c-grace',
        role: 'user',
        email: 'grace@example.com',
        externalId: null,
        createdAt: T0,
      };
      await store.saveContacts([{ ...grace, name: 'Grace Hopper' }]);
      assert.deepEqual(await textHits('hopper'), ['conv-grace']);
      await store.saveContacts([{ ...grace, name: 'Grace Murray' }]);
      assert.deepEqual(await textHits('murray'), ['conv-grace']);
      assert.deepEqual(await textHits('hopper'), [], 'the old name is gone from the index');
      await store.saveContacts([{ ...grace, name: 'Grace Murray' }]);
      assert.deepEqual(await textHits('murray'), ['conv-grace'], 'saved again unchanged, still found');
    });
  });
