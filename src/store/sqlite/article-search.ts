/** Help Center search on SQLite: the FTS5 index over every locale's contents, ranked by bm25. */
import type Database from 'better-sqlite3';
import * as rows from '../article-rows.js';
import { parseSearchText } from '../search-text.js';
import type { ArticlePage, ArticleSearchParams } from '../types.js';
import { toFtsMatch } from './search-syntax.js';

const LOCALES = 'group_concat(locale)';
const PLACES = { state: '@state', collection: '@collection', limit: '@limit', offset: '@offset' };

export function searchArticles(db: Database.Database, p: ArticleSearchParams): ArticlePage {
  const parsed = p.text ? parseSearchText(p.text) : undefined;
  // Title, description and body weighted 4 : 2 : 1, as conversations weigh subject, people and messages.
  const matches = parsed
    ? // bm25 is only allowed in the full-text query itself: its LIMIT keeps it from being
      // flattened into the grouping around it.
      `SELECT c.article_id, min(f.score) AS score, group_concat(c.locale) AS locales
       FROM (SELECT rowid, bm25(article_contents_fts, 4.0, 2.0, 1.0) AS score FROM article_contents_fts
         WHERE article_contents_fts MATCH @match LIMIT -1) f
       JOIN article_contents c ON c.cid = f.rowid GROUP BY c.article_id`
    : rows.ALL_CONTENTS(LOCALES);
  const q: rows.ArticleQuery = { matches, better: 'ASC', ...PLACES };
  const args = { ...rows.articleArgs(p), ...(parsed ? { match: toFtsMatch(parsed) } : {}) };
  return db.transaction(() => ({
    total: (db.prepare(rows.ARTICLE_COUNT_SQL(q)).get(args) as { n: number }).n,
    hits: (db.prepare(rows.ARTICLE_PAGE_SQL(q)).all(args) as rows.ArticleRow[]).map((r) =>
      rows.toArticleHit(r, parsed?.words ?? []),
    ),
  }))();
}
