/**
 * The Help Center tools against the emulator's ground truth, on both engines, through a real stdio
 * client: search_articles by words (in any translation), state, collection and pages; get_article
 * by each form of id, in a translation and cut to a budget; search and fetch round-trip an article;
 * list_workspace names the collections; a token that may not read articles gets errors that say so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { htmlToPlaintext } from '../../src/emulator/html-text.js';
import type { HelpArticle } from '../../src/emulator/help-center.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { ENGINES } from '../helpers/engines.js';
import { control } from '../helpers/http.js';
import type { CheckedClient } from '../helpers/mcp.js';
import { syncedStdioServer } from '../helpers/synced-server.js';

const WORD = 'frobnicator';

type Hit = { id: string; state: string; locales: string[]; collection?: string };

/** Every page of a search_articles, following next_cursor. */
async function allPages(mcp: CheckedClient, args: Record<string, unknown>): Promise<Hit[]> {
  const hits: Hit[] = [];
  let cursor: string | undefined;
  do {
    const r = await mcp.call('search_articles', { ...args, ...(cursor ? { cursor } : {}) });
    assert.equal(r.isError, undefined, r.content[0]!.text);
    hits.push(...r.structuredContent.articles);
    cursor = r.structuredContent.next_cursor;
  } while (cursor);
  return hits;
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id).sort();

for (const engine of ENGINES)
  describe(`the Help Center tools (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    /** In the title, in the body, in a draft, and in a French translation only. */
    let inTitle: HelpArticle, inBody: HelpArticle, inDraft: HelpArticle, inFrench: HelpArticle;
    before(async () => {
      em = await startEmulator({
        conversations: 80,
        days: 10,
        seed: `help-tools-${engine.name}`,
        articles: 40,
      });
      const published = em.workspace.helpCenter.list().filter((a) => a.state === 'published');
      [inTitle, inBody, inDraft, inFrench] = published.slice(0, 4) as HelpArticle[];
      const edit = (a: HelpArticle, change: unknown) => control(em, 'POST', `/articles/${a.id}/edit`, change);
      await edit(inTitle, { title: `Setting up the ${WORD}` });
      await edit(inBody, { body: `<p>Restart the ${WORD} before you export.</p>` });
      await edit(inDraft, { state: 'draft', body: `<p>Notes on the ${WORD}.</p>` });
      await edit(inFrench, {
        translate: { locale: 'fr', title: 'Le guide', body: `<p>Redémarrez le ${WORD}.</p>` },
      });
      mcp = await syncedStdioServer(em, engine, 10);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('finds words in titles, bodies and translations, published by default, the title match first', async () => {
      const r = await mcp.call('search_articles', { query: WORD });
      assert.equal(r.isError, undefined, r.content[0]!.text);
      const hits: Hit[] = r.structuredContent.articles;
      assert.equal(r.structuredContent.total, 3);
      assert.deepEqual(ids(hits), ids([inTitle, inBody, inFrench]));
      assert.equal(hits[0]!.id, inTitle.id, 'a match in the title ranks first');
      assert.deepEqual(hits.find((h) => h.id === inFrench.id)!.locales, ['fr']);
      assert.match(r.content[0]!.text, /<article_text>Setting up the frobnicator<\/article_text>/);
      assert.match(r.content[0]!.text, /Help Center checked \d+ min ago/);
    });

    it('filters by state', async () => {
      const all = em.workspace.helpCenter.list();
      const drafts = await allPages(mcp, { state: 'draft', limit: 50 });
      assert.deepEqual(ids(drafts), ids(all.filter((a) => a.state === 'draft')));
      assert.ok(drafts.some((h) => h.id === inDraft.id));
      const every = await mcp.call('search_articles', { query: WORD, state: 'all' });
      assert.deepEqual(ids(every.structuredContent.articles), ids([inTitle, inBody, inDraft, inFrench]));
      const published = await mcp.call('search_articles', {});
      assert.equal(published.structuredContent.total, all.filter((a) => a.state === 'published').length);
    });

    it('filters by collection, named in any case or by id, and names the collections when it knows none', async () => {
      const collection = em.workspace.helpCenter.collections[1]!;
      const expected = em.workspace.helpCenter.list().filter((a) => String(a.parentIds[0]) === collection.id);
      assert.ok(expected.length > 0);
      const byName = await allPages(mcp, { collection: collection.name.toUpperCase(), state: 'all' });
      assert.deepEqual(ids(byName), ids(expected));
      assert.ok(byName.every((h) => h.collection === collection.name));
      const byId = await allPages(mcp, { collection: collection.id, state: 'all' });
      assert.deepEqual(ids(byId), ids(expected));
      const unknown = await mcp.call('search_articles', { collection: 'no such shelf' });
      assert.equal(unknown.isError, true);
      assert.match(
        unknown.content[0]!.text,
        /No collection "no such shelf"; the closest are .*list_workspace names them all/,
      );
    });

    it('pages through every article with limit and cursor, each once, and refuses another search’s cursor', async () => {
      const all = em.workspace.helpCenter.list();
      const pages = await allPages(mcp, { state: 'all', limit: 7 });
      assert.equal(pages.length, all.length);
      assert.deepEqual(ids(pages), ids(all));
      const first = await mcp.call('search_articles', { state: 'all', limit: 7 });
      assert.equal(first.structuredContent.articles.length, 7);
      const other = await mcp.call('search_articles', {
        state: 'draft',
        limit: 7,
        cursor: first.structuredContent.next_cursor,
      });
      assert.equal(other.isError, true);
      assert.match(other.content[0]!.text, /cursor belongs to another search/);
    });

    it('reads an article by each form of its id, with its text, collection and translations', async () => {
      const forms = [
        inFrench.id,
        Number(inFrench.id),
        `article_${inFrench.id}`,
        `https://help.example.com/en/articles/${inFrench.id}-le-guide`,
      ];
      for (const form of forms) {
        const r = await mcp.call('get_article', { article_id: form });
        assert.equal(r.isError, undefined, `${form}: ${r.content[0]!.text}`);
        const s = r.structuredContent;
        assert.equal(s.id, inFrench.id);
        assert.equal(s.title, inFrench.title);
        assert.equal(s.locale, 'en');
        assert.equal(s.body, htmlToPlaintext(inFrench.body));
        assert.equal(s.cut, false);
        assert.equal(
          s.collection?.id,
          inFrench.parentIds[0] === undefined ? undefined : String(inFrench.parentIds[0]),
        );
        assert.deepEqual(s.locales, ['en', 'fr']);
      }
    });

    it('reads a translation, refuses a locale the article lacks, and cuts to max_chars', async () => {
      const fr = await mcp.call('get_article', { article_id: inFrench.id, locale: 'FR' });
      assert.equal(fr.structuredContent.title, 'Le guide');
      assert.equal(fr.structuredContent.body, `Redémarrez le ${WORD}.`);
      const es = await mcp.call('get_article', { article_id: inFrench.id, locale: 'es' });
      assert.equal(es.isError, true);
      assert.match(es.content[0]!.text, /has no "es" translation; it has en, fr/);
      const long = em.workspace.helpCenter
        .list()
        .find((a) => htmlToPlaintext(a.body).length > 900 && a.id !== inBody.id)!;
      const cut = await mcp.call('get_article', { article_id: long.id, max_chars: 500 });
      assert.equal(cut.structuredContent.cut, true);
      assert.ok(cut.content[0]!.text.length <= 500, `${cut.content[0]!.text.length} chars`);
      const full = htmlToPlaintext(long.body);
      assert.ok(cut.structuredContent.body.length > 0);
      assert.ok(full.startsWith(cut.structuredContent.body));
      assert.ok(cut.content[0]!.text.includes(cut.structuredContent.body));
      const missing = await mcp.call('get_article', { article_id: '999999999' });
      assert.equal(missing.isError, true);
      assert.match(missing.content[0]!.text, /No article 999999999 in the local copy/);
    });

    it('search and fetch round-trip an article', async () => {
      const found = await mcp.call('search', { query: WORD });
      const results: { id: string; title: string; url: string }[] = found.structuredContent.results;
      const hit = results.find((h) => h.id === `article_${inTitle.id}`);
      assert.ok(hit, JSON.stringify(results.map((h) => h.id)));
      assert.match(hit.url, new RegExp(`/articles/${inTitle.id}-`));
      assert.ok(!results.some((h) => h.id === `article_${inDraft.id}`), 'drafts are not offered');
      const fetched = await mcp.call('fetch', { id: hit.id });
      assert.equal(fetched.isError, undefined, fetched.content[0]!.text);
      const doc = JSON.parse(fetched.content[0]!.text);
      assert.equal(doc.id, hit.id);
      assert.equal(doc.title, `Setting up the ${WORD}`);
      assert.equal(doc.metadata.kind, 'article');
      assert.equal(doc.metadata.state, 'published');
      assert.ok(doc.text.includes(htmlToPlaintext(inTitle.body).slice(0, 80)));
    });

    it('list_workspace names the collections with their articles', async () => {
      const r = await mcp.call('list_workspace');
      const all = em.workspace.helpCenter.list();
      assert.deepEqual(
        r.structuredContent.collections.map((c: { id: string; articles: number }) => [c.id, c.articles]),
        em.workspace.helpCenter.collections.map((c) => [
          c.id,
          all.filter((a) => String(a.parentIds[0]) === c.id).length,
        ]),
      );
    });
  });

for (const engine of ENGINES)
  describe(`the Help Center tools with a token that may not read articles (${engine.name})`, () => {
    let em: RunningEmulator;
    let mcp: CheckedClient;
    before(async () => {
      em = await startEmulator({ conversations: 30, days: 5, seed: `help-403-${engine.name}` });
      em.workspace.addConversation({ body: `My ${WORD} broke` });
      await control(em, 'POST', '/faults/scripted', { route: 'GET /articles', kind: '403' });
      mcp = await syncedStdioServer(em, engine, 5);
    });
    after(async () => {
      await mcp?.close();
      await em?.stop();
    });

    it('says so instead of answering empty, while conversations still answer', async () => {
      const article = em.workspace.helpCenter.list()[0]!;
      for (const [tool, args] of [
        ['search_articles', { query: 'invoice' }],
        ['get_article', { article_id: article.id }],
        ['fetch', { id: `article_${article.id}` }],
      ] as const) {
        const r = await mcp.call(tool, args);
        assert.equal(r.isError, true, `${tool}: ${r.content[0]!.text}`);
        assert.match(
          r.content[0]!.text,
          /the access token may not read the Help Center \(.*403.*\)\. Give it the "Read articles" permission/,
        );
      }
      const search = await mcp.call('search', { query: WORD });
      assert.equal(search.isError, undefined, search.content[0]!.text);
      assert.equal(search.structuredContent.results.length, 1);
    });
  });
