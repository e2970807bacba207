/** Help Center records from Intercom's shapes, their HTML bodies made text (html-text.ts). */
import type { ApiArticle, ApiCollection } from '../intercom/schemas.js';
import type { ArticleContentRecord, ArticleRecord, ArticleState, CollectionRecord } from '../store/types.js';
import { htmlText } from './html-text.js';

const stateOf = (s: string | null | undefined, fallback: ArticleState): ArticleState =>
  s === 'published' || s === 'draft' ? s : fallback;

/**
 * The article with its default locale's content (the top-level fields) and every translation
 * `translated_content` carries; a locale the API lists as null has none.
 */
export function toArticleRecord(a: ApiArticle): ArticleRecord {
  const defaultLocale = a.default_locale ?? 'en';
  const contents: ArticleContentRecord[] = [
    {
      locale: defaultLocale,
      title: a.title ?? '',
      description: a.description ?? null,
      body: htmlText(a.body),
      state: a.state,
      url: a.url ?? null,
      updatedAt: a.updated_at,
    },
  ];
  for (const [locale, c] of Object.entries(a.translated_content ?? {})) {
    if (locale === defaultLocale || c === null || typeof c === 'string') continue;
    contents.push({
      locale,
      title: c.title ?? '',
      description: c.description ?? null,
      body: htmlText(c.body),
      state: stateOf(c.state, a.state),
      url: c.url ?? null,
      updatedAt: c.updated_at ?? a.updated_at,
    });
  }
  return {
    id: a.id,
    state: a.state,
    collectionId: a.parent_ids?.[0] ?? null,
    authorId: a.author_id ?? null,
    defaultLocale,
    url: a.url ?? null,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
    contents,
  };
}

export function toCollectionRecord(c: ApiCollection, position: number): CollectionRecord {
  return {
    id: c.id,
    name: c.name,
    description: c.description ?? null,
    url: c.url ?? null,
    parentId: c.parent_id ?? null,
    position: c.order ?? position,
    updatedAt: c.updated_at,
  };
}
