/**
 * Help Center search as both engines run it: the engine finds the matching contents (its full-text
 * index, its score) as `m(article_id, score, locales)`; the rest is this SQL, with each engine's
 * placeholders, and the snippets are cut here from the matching text.
 */
import { snippet } from './search-text.js';
import type { ArticleHit, ArticleSearchParams, ArticleState } from './types.js';

/** Every article with its locales, when there is no text: `locales` is the engine's comma-join of `locale`. */
export const ALL_CONTENTS = (locales: string) =>
  `SELECT article_id, 0 AS score, ${locales} AS locales FROM article_contents GROUP BY article_id`;

export interface ArticleQuery {
  /** The engine's `m` subquery. */
  matches: string;
  /** How scores order: ascending for bm25 (lower is better), descending for ts_rank. */
  better: 'ASC' | 'DESC';
  /** Placeholders for the state, the collection, the limit and the offset. */
  state: string;
  collection: string;
  limit: string;
  offset: string;
}

const WHERE = (q: ArticleQuery) =>
  `WHERE (${q.state} = 'all' OR a.state = ${q.state}) AND (${q.collection} IS NULL OR a.collection_id = ${q.collection})`;

export const ARTICLE_COUNT_SQL = (q: ArticleQuery) =>
  `SELECT count(*) AS n FROM (${q.matches}) m JOIN articles a ON a.id = m.article_id ${WHERE(q)}`;

/** The page, each article with its default locale's content (what a hit shows). */
export const ARTICLE_PAGE_SQL = (
  q: ArticleQuery,
) => `SELECT a.id, a.state, a.url, a.updated_at, h.name AS collection,
    m.locales, d.title, d.description, d.body
  FROM (${q.matches}) m JOIN articles a ON a.id = m.article_id
  JOIN article_contents d ON d.article_id = a.id AND d.locale = a.default_locale
  LEFT JOIN help_collections h ON h.id = a.collection_id
  ${WHERE(q)}
  ORDER BY m.score ${q.better}, a.updated_at DESC, a.id LIMIT ${q.limit} OFFSET ${q.offset}`;

export interface ArticleRow {
  id: string;
  state: string;
  url: string | null;
  updated_at: number;
  collection: string | null;
  /** Comma-separated. */
  locales: string;
  title: string;
  description: string | null;
  body: string;
}

export function toArticleHit(r: ArticleRow, words: string[]): ArticleHit {
  return {
    id: r.id,
    title: r.title,
    url: r.url,
    state: r.state as ArticleState,
    collection: r.collection,
    locales: r.locales.split(',').sort(),
    updatedAt: Number(r.updated_at),
    snippet: snippet([r.description, r.body], words),
  };
}

/** The arguments in the order the placeholders above take them (SQLite names them alike). */
export const articleArgs = (p: ArticleSearchParams) => ({
  state: p.state,
  collection: p.collectionId ?? null,
  limit: p.limit,
  offset: p.offset,
});
