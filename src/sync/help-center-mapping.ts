/**
 * Help Center records from Intercom's shapes. Article bodies are HTML with no plaintext rendering
 * in the API, so they are made text here (html-to-text) as Intercom renders messages as plaintext:
 * paragraphs as lines, links as "label (url)", list items as "- item", images dropped, headings
 * as written.
 */
import { convert } from 'html-to-text';
import type { ApiArticle, ApiCollection } from '../intercom/schemas.js';
import type { ArticleContentRecord, ArticleRecord, ArticleState, CollectionRecord } from '../store/types.js';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
  selector,
  options: { uppercase: false },
}));

export function articleText(html: string | null | undefined): string {
  if (!html) return '';
  return convert(html, {
    wordwrap: false,
    selectors: [
      ...HEADINGS,
      { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
      { selector: 'ul', options: { itemPrefix: '- ' } },
      { selector: 'img', format: 'skip' },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  }).trim();
}

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
      body: articleText(a.body),
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
      body: articleText(c.body),
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
