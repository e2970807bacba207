/**
 * The Help Center synced exactly on every engine: every article in every state with each
 * translation's text, and the collections; changes and deletions applied by the runs that follow;
 * a token that may not read articles skips them and says so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToPlaintext } from '../../src/emulator/html-text.js';
import { runSync } from '../../src/sync/engine.js';
import { HELP_CENTER_FORBIDDEN_KEY } from '../../src/sync/help-center.js';
import { ENGINES } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import { syncedWorkspace, type SyncedWorkspace } from '../helpers/mirror.js';

/** Every article the emulator has is stored, each locale's title and text as the API gives them. */
async function assertHelpCenterMirrors(w: SyncedWorkspace): Promise<void> {
  const expected = w.em.workspace.helpCenter.list();
  assert.deepEqual(
    [...(await w.store.articleVersions()).keys()].sort(),
    expected.map((a) => a.id).sort(),
    'the same articles',
  );
  for (const a of expected) {
    const got = await w.store.getArticle(a.id);
    assert.ok(got, `article ${a.id}`);
    assert.equal(got.state, a.state, `${a.id} state`);
    assert.equal(got.updatedAt, a.updatedAt, `${a.id} updated_at`);
    assert.equal(got.collection?.id ?? null, a.parentIds[0] === undefined ? null : String(a.parentIds[0]));
    const locales = Object.keys(a.translations).sort();
    assert.deepEqual(
      got.contents.map((c) => [c.locale, c.title, c.body]),
      [
        ['en', a.title, htmlToPlaintext(a.body)],
        ...locales.map((l) => [l, a.translations[l]!.title, htmlToPlaintext(a.translations[l]!.body)]),
      ],
      `${a.id} contents`,
    );
  }
  assert.deepEqual(
    (await w.store.helpCollections()).map((c) => [c.id, c.name]).sort(),
    w.em.workspace.helpCenter.collections.map((c) => [c.id, c.name]).sort(),
  );
}

for (const engine of ENGINES)
  describe(`the Help Center synced exactly (${engine.name})`, () => {
    const w = syncedWorkspace({ conversations: 120, days: 10, seed: 'help-center', articles: 160 }, engine);

    it('stores every article in every state, each translation, and the collections', async () => {
      assert.ok(w.em.workspace.helpCenter.list().some((a) => Object.keys(a.translations).length > 0));
      await assertHelpCenterMirrors(w);
      const hits = await w.store.searchArticles({ state: 'all', limit: 100, offset: 0 });
      assert.equal(hits.total, 160);
    });

    it('applies an edit, a new translation and an unpublish at the next run, reading only the newest pages', async () => {
      const [a, b, c] = w.em.workspace.helpCenter.list().slice(20, 23);
      await control(w.em, 'POST', `/articles/${a!.id}/edit`, { title: 'Exporting invoices as CSV' });
      await control(w.em, 'POST', `/articles/${b!.id}/edit`, {
        translate: { locale: 'es', title: 'Cómo exportar', body: '<p>Exportar facturas</p>' },
      });
      await control(w.em, 'POST', `/articles/${c!.id}/edit`, { state: 'draft' });
      await control(w.em, 'DELETE', '/requests');
      const result = await runSync(w.api, w.store, { defaultDays: 30, helpCenter: { checkSeconds: 0 } });
      assert.equal(result.articles, 3);
      const counts = (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;
      // 160 articles are 4 pages: the newest holds the changes, the next nothing newer, and there it stops.
      assert.equal(counts['GET /articles'], 2, 'pages read until one holds nothing newer');
      await assertHelpCenterMirrors(w);
      const found = await w.store.searchArticles({ text: 'exportar', state: 'all', limit: 5, offset: 0 });
      assert.deepEqual(
        found.hits.map((h) => h.id),
        [b!.id],
      );
    });

    it('looks at the Help Center at most every ten minutes, so frequent syncs stay cheap', async () => {
      await control(w.em, 'DELETE', '/requests');
      await runSync(w.api, w.store, { defaultDays: 30 });
      const counts = (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;
      assert.equal(counts['GET /articles'] ?? 0, 0);
    });

    it('deletes at a full pass what the Help Center no longer has, after asking for each', async () => {
      const [gone] = w.em.workspace.helpCenter.list().slice(-1);
      await control(w.em, 'DELETE', `/articles/${gone!.id}`);
      await control(w.em, 'DELETE', '/requests');
      await runSync(w.api, w.store, { defaultDays: 30, helpCenter: { fullPassSeconds: 0 } });
      const counts = (await control(w.em, 'GET', '/requests')).json.counts as Record<string, number>;
      assert.equal(
        counts['GET /articles/{article_id}'],
        1,
        'the unlisted article was asked for before deleting it',
      );
      assert.equal(await w.store.getArticle(gone!.id), undefined);
      await assertHelpCenterMirrors(w);
    });

    it('syncs the rest when the token may not read articles, and records why', async () => {
      await control(w.em, 'POST', '/faults/scripted', { route: 'GET /articles', kind: '403' });
      const result = await runSync(w.api, w.store, { defaultDays: 30, helpCenter: { fullPassSeconds: 0 } });
      assert.equal(result.articles, 0);
      assert.match((await w.store.getMeta(HELP_CENTER_FORBIDDEN_KEY)) ?? '', /403/);
      await runSync(w.api, w.store, { defaultDays: 30, helpCenter: { checkSeconds: 0 } });
      assert.equal(await w.store.getMeta(HELP_CENTER_FORBIDDEN_KEY), '', 'readable again: the note goes');
    });
  });
