/**
 * The Help Center in the store, on every engine: articles with their translations saved, changed,
 * searched in every locale with the state and collection filters, read back whole, and deleted;
 * collections replaced as listed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ArticleRecord, CollectionRecord, Store } from '../../src/store/types.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const T0 = 1_760_000_000;

function article(
  id: string,
  over: Partial<Omit<ArticleRecord, 'contents'>> & {
    title: string;
    body: string;
    contents?: ArticleRecord['contents'];
  },
): ArticleRecord {
  const { title, body, contents = [], ...rest } = over;
  const state = rest.state ?? 'published';
  const updatedAt = rest.updatedAt ?? T0 + Number(id.replace(/\D/g, ''));
  return {
    id,
    state,
    collectionId: 'col-billing',
    authorId: 'a1',
    defaultLocale: 'en',
    url: state === 'published' ? `https://help.example/en/articles/${id}` : null,
    createdAt: T0,
    updatedAt,
    ...rest,
    contents: [{ locale: 'en', title, description: null, body, state, url: null, updatedAt }, ...contents],
  };
}

const collection = (id: string, name: string, position: number, updatedAt = T0): CollectionRecord => ({
  id,
  name,
  description: null,
  url: null,
  parentId: null,
  position,
  updatedAt,
});

const ARTICLES: ArticleRecord[] = [
  article('art1', {
    title: 'Refunds for duplicate charges',
    body: 'A duplicate charge is refunded within ten days.',
  }),
  article('art2', {
    title: 'Resetting your password',
    body: 'Use the reset link on the login page.',
    collectionId: 'col-login',
    contents: [
      {
        locale: 'fr',
        title: 'Réinitialiser votre mot de passe',
        description: 'Connexion',
        body: 'Utilisez le lien de réinitialisation sur la page de connexion.',
        state: 'published',
        url: null,
        updatedAt: T0,
      },
    ],
  }),
  article('art3', {
    title: 'Invoices and VAT numbers',
    body: 'Draft: how to correct the VAT number on an invoice.',
    state: 'draft',
  }),
];

for (const engine of ENGINES)
  describe(`the Help Center in the store (${engine.name})`, () => {
    let store: Store;
    before(async () => {
      store = (await freshStore(engine)).store;
      await store.saveAdmins([{ id: 'a1', type: 'admin', name: 'Ana Writer', email: 'ana@example.com' }]);
      await store.saveCollections([
        collection('col-billing', 'Billing', 1),
        collection('col-login', 'Login', 0),
        collection('col-old', 'Old', 2),
      ]);
      await store.saveArticles(ARTICLES);
    });
    after(() => store.close());

    const ids = async (p: Partial<Parameters<Store['searchArticles']>[0]>) => {
      const page = await store.searchArticles({ state: 'published', limit: 10, offset: 0, ...p });
      assert.equal(page.total, page.hits.length, 'every match fits the page here');
      return page.hits.map((h) => h.id).sort();
    };

    it('searches published articles by default, in every locale, and filters by state and collection', async () => {
      assert.deepEqual(await ids({ text: 'refunded' }), ['art1']);
      assert.deepEqual(await ids({ text: 'réinitialisation' }), ['art2'], 'a translation is searched');
      assert.deepEqual(await ids({ text: 'connexion' }), ['art2'], 'a translation’s description too');
      assert.deepEqual(await ids({ text: 'invoice' }), [], 'a draft is not published');
      assert.deepEqual(await ids({ text: 'invoice', state: 'draft' }), ['art3']);
      assert.deepEqual(await ids({ text: 'invoice OR password', state: 'all' }), ['art2', 'art3']);
      assert.deepEqual(await ids({ state: 'all', collectionId: 'col-billing' }), ['art1', 'art3']);
      assert.deepEqual(await ids({}), ['art1', 'art2']);
      const [hit] = (
        await store.searchArticles({ text: 'réinitialisation', state: 'all', limit: 5, offset: 0 })
      ).hits;
      assert.equal(hit!.title, 'Resetting your password', 'a hit shows the default locale');
      assert.deepEqual(hit!.locales, ['fr'], 'and says which locale matched');
      assert.equal(hit!.collection, 'Login');
    });

    it('ranks a title match above a body match, and pages', async () => {
      await store.saveArticles([
        article('art4', { title: 'Duplicate invoices', body: 'Nothing else here.' }),
        article('art5', {
          title: 'Card payments',
          body: 'Sometimes a bank shows a duplicate authorisation.',
        }),
      ]);
      const page = await store.searchArticles({ text: 'duplicate', state: 'published', limit: 2, offset: 0 });
      assert.equal(page.total, 3);
      assert.equal(page.hits.length, 2);
      assert.ok(['art1', 'art4'].includes(page.hits[0]!.id), `a title match first, not ${page.hits[0]!.id}`);
      const rest = await store.searchArticles({ text: 'duplicate', state: 'published', limit: 2, offset: 2 });
      assert.equal(rest.hits.length, 1);
      assert.ok(!page.hits.some((h) => h.id === rest.hits[0]!.id));
    });

    it('reads an article back whole, and replaces its translations when it changes', async () => {
      const view = await store.getArticle('art2');
      assert.equal(view!.collection!.name, 'Login');
      assert.equal(view!.author!.name, 'Ana Writer');
      assert.deepEqual(
        view!.contents.map((c) => c.locale),
        ['en', 'fr'],
        'the default locale first',
      );
      const changed = article('art2', {
        title: 'Resetting a password',
        body: 'The reset link is on the sign-in page.',
        collectionId: 'col-login',
        updatedAt: T0 + 500,
        contents: [
          {
            locale: 'de',
            title: 'Passwort zurücksetzen',
            description: null,
            body: 'Der Link steht auf der Anmeldeseite.',
            state: 'published',
            url: null,
            updatedAt: T0 + 500,
          },
        ],
      });
      await store.saveArticles([changed]);
      const after = await store.getArticle('art2');
      assert.deepEqual(
        after!.contents.map((c) => c.locale),
        ['en', 'de'],
        'a translation gone is gone',
      );
      assert.equal(after!.contents[0]!.title, 'Resetting a password');
      assert.deepEqual(await ids({ text: 'réinitialisation' }), [], 'its old text left the index');
      assert.deepEqual(await ids({ text: 'anmeldeseite' }), ['art2']);
      assert.equal((await store.articleVersions()).get('art2'), T0 + 500);
    });

    it('deletes articles from answers and the index, and keeps only the collections last listed', async () => {
      await store.deleteArticles(['art1']);
      assert.equal(await store.getArticle('art1'), undefined);
      assert.deepEqual(await ids({ text: 'refunded' }), []);
      assert.ok(!(await store.articleVersions()).has('art1'));
      await store.saveCollections([
        collection('col-login', 'Signing in', 0, T0 + 9),
        collection('col-billing', 'Billing', 1),
      ]);
      const collections = await store.helpCollections();
      assert.deepEqual(
        collections.map((c) => [c.id, c.name, c.articles]),
        [
          ['col-login', 'Signing in', 1],
          ['col-billing', 'Billing', 3],
        ],
      );
    });
  });
