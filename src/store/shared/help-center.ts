/**
 * The Help Center as both engines store it: collections, articles, and each article's contents
 * per locale. An article's contents are written before its row, and its row is written last: on
 * an engine whose shared writes commit statement by statement (SQLite, see its store), a crash
 * between them leaves contents without a row, which no answer reads and the next sync rewrites
 * (its stored `updated_at` is still the old one), never a row whose contents are stale.
 */
import type { Kysely } from 'kysely';
import type { ArticleRecord, ArticleState, ArticleView, CollectionRecord } from '../types.js';
import type { SharedTables } from './tables.js';
import { replaceListed, upsertById } from './upsert.js';

type Db = Kysely<SharedTables>;

export async function saveCollections(db: Db, collections: CollectionRecord[]): Promise<void> {
  const rows = collections.map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    url: c.url,
    parent_id: c.parentId,
    position: c.position,
    updated_at: c.updatedAt,
  }));
  await replaceListed(db, 'help_collections', rows, [
    'name',
    'description',
    'url',
    'parent_id',
    'position',
    'updated_at',
  ]);
}

export async function saveArticle(db: Db, a: ArticleRecord): Promise<void> {
  for (const c of a.contents) {
    const row = {
      title: c.title,
      description: c.description,
      body: c.body,
      state: c.state,
      url: c.url,
      updated_at: c.updatedAt,
    };
    await db
      .insertInto('article_contents')
      .values({ article_id: a.id, locale: c.locale, ...row })
      .onConflict((oc) => oc.columns(['article_id', 'locale']).doUpdateSet(row))
      .execute();
  }
  const locales = a.contents.map((c) => c.locale);
  await db
    .deleteFrom('article_contents')
    .where('article_id', '=', a.id)
    .$if(locales.length > 0, (q) => q.where('locale', 'not in', locales))
    .execute();
  await upsertById(
    db,
    'articles',
    [
      {
        id: a.id,
        state: a.state,
        collection_id: a.collectionId,
        author_id: a.authorId,
        default_locale: a.defaultLocale,
        url: a.url,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
      },
    ],
    ['state', 'collection_id', 'author_id', 'default_locale', 'url', 'created_at', 'updated_at'],
  );
}

export async function articleVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('articles').select(['id', 'updated_at']).execute();
  return new Map(rows.map((r) => [r.id, Number(r.updated_at)]));
}

/** The row first, so the article leaves every answer even if its contents' delete never comes. */
export async function deleteArticles(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('articles').where('id', 'in', ids).execute();
  await db.deleteFrom('article_contents').where('article_id', 'in', ids).execute();
}

export async function readArticle(db: Db, id: string): Promise<ArticleView | undefined> {
  const row = await db
    .selectFrom('articles as a')
    .leftJoin('help_collections as h', 'h.id', 'a.collection_id')
    .leftJoin('admins as w', 'w.id', 'a.author_id')
    .select([
      'a.id',
      'a.state',
      'a.collection_id',
      'h.name as collection_name',
      'a.author_id',
      'w.name as author_name',
      'a.default_locale',
      'a.url',
      'a.created_at',
      'a.updated_at',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const contents = await db
    .selectFrom('article_contents')
    .select(['locale', 'title', 'description', 'body', 'state', 'url', 'updated_at'])
    .where('article_id', '=', id)
    .orderBy('locale')
    .execute();
  return {
    id: row.id,
    state: row.state as ArticleState,
    collection: row.collection_id ? { id: row.collection_id, name: row.collection_name } : null,
    author: row.author_id ? { id: row.author_id, name: row.author_name } : null,
    defaultLocale: row.default_locale,
    url: row.url,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    // The default locale first, then the translations by locale.
    contents: contents
      .map((c) => ({
        locale: c.locale,
        title: c.title,
        description: c.description,
        body: c.body,
        state: c.state as ArticleState,
        url: c.url,
        updatedAt: Number(c.updated_at),
      }))
      .sort((x, y) => Number(y.locale === row.default_locale) - Number(x.locale === row.default_locale)),
  };
}

/** Collections in their Help Center order, each with how many stored articles it holds. */
export async function helpCollections(db: Db): Promise<(CollectionRecord & { articles: number })[]> {
  const rows = await db
    .selectFrom('help_collections as h')
    .leftJoin('articles as a', 'a.collection_id', 'h.id')
    .select(({ fn }) => [
      'h.id',
      'h.name',
      'h.description',
      'h.url',
      'h.parent_id',
      'h.position',
      'h.updated_at',
      fn.count<number>('a.id').as('articles'),
    ])
    .groupBy(['h.id', 'h.name', 'h.description', 'h.url', 'h.parent_id', 'h.position', 'h.updated_at'])
    .orderBy('h.position')
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    url: r.url,
    parentId: r.parent_id,
    position: Number(r.position),
    updatedAt: Number(r.updated_at),
    articles: Number(r.articles),
  }));
}
