/** Help Center search on PostgreSQL: the GIN index over every locale's vector, ranked by ts_rank_cd. */
import type { Db } from './connection.js';
import * as rows from '../article-rows.js';
import { parseSearchText } from '../search-text.js';
import type { ArticlePage, ArticleSearchParams } from '../types.js';
import { toTsQuery } from './search-syntax.js';

const LOCALES = `string_agg(locale, ',')`;
// Weights for D, C, B, A: body, (unused), description, title, as 1 : 2 : 4 on SQLite.
const WEIGHTS = `'{0.1, 0.1, 0.2, 0.4}'`;

export async function searchArticles(db: Db, p: ArticleSearchParams): Promise<ArticlePage> {
  const parsed = p.text ? parseSearchText(p.text) : undefined;
  const a = rows.articleArgs(p);
  // The count takes the conditions' values; the page those and then its limit and offset.
  const conditions = [a.state, a.collection, ...(parsed ? [toTsQuery(parsed)] : [])];
  const matches = parsed
    ? `SELECT c.article_id, max(ts_rank_cd(${WEIGHTS}, c.search_tsv, to_tsquery('fim', $3))) AS score,
         string_agg(c.locale, ',') AS locales
       FROM article_contents c WHERE c.search_tsv @@ to_tsquery('fim', $3) GROUP BY c.article_id`
    : rows.ALL_CONTENTS(LOCALES);
  const q: rows.ArticleQuery = {
    matches,
    better: parsed ? 'DESC' : 'ASC',
    state: '$1::text',
    collection: '$2::text',
    limit: `$${conditions.length + 1}`,
    offset: `$${conditions.length + 2}`,
  };
  const count = (await db.query<{ n: number }>(rows.ARTICLE_COUNT_SQL(q), conditions)).rows[0]!.n;
  const page = await db.query<rows.ArticleRow>(rows.ARTICLE_PAGE_SQL(q), [...conditions, a.limit, a.offset]);
  return {
    total: Number(count),
    hits: page.rows.map((r) => rows.toArticleHit(r, parsed?.words ?? [])),
  };
}
