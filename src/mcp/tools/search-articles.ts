/** search_articles: the Help Center's articles, in every translation, by words or by collection. */
import { z } from 'zod';
import { count, quote } from '../../wording.js';
import { answering } from '../deps.js';
import { decodeCursor, encodeCursor } from '../filters.js';
import { hitPage } from '../hit-page.js';
import { cursorArg, freshnessShape, nameArg, queryArg } from '../shapes.js';
import { pickNamed } from '../references.js';
import { ARTICLE_NOTE, articleHitOut, articleHitShape, HELP_CENTER, renderArticleHit } from './articles.js';
import { SEARCH_BUDGET } from './search-conversations.js';
import { polledState, refuseUnread } from '../polled-kind.js';
import { defineTool, READ_ONLY } from './tool.js';

export const searchArticles = defineTool({
  name: 'search_articles',
  title: 'Search Help Center articles',
  description:
    'Help Center articles by words in any translation (title, description, body), most relevant first; ' +
    `without a query, the most recently updated. ${ARTICLE_NOTE}`,
  input: {
    query: queryArg.optional().describe('Words or "quoted phrases", as search_conversations reads them'),
    state: z.enum(['published', 'draft', 'all']).default('published'),
    collection: nameArg.optional().describe('Collection name or id (list_workspace names them)'),
    limit: z.number().int().min(1).max(50).default(10),
    cursor: cursorArg,
  },
  output: {
    articles: z.array(articleHitShape),
    total: z.number(),
    next_cursor: z.string().optional(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const a = await answering(deps);
    const help = await polledState(deps, a, HELP_CENTER);
    const collectionId = args.collection
      ? pickNamed(await deps.store.helpCollections(), args.collection, 'collection').id
      : undefined;
    const text = args.query?.trim() ? args.query : undefined;
    const search = { text, state: args.state, collectionId };
    const offset = args.cursor ? decodeCursor(args.cursor, search) : 0;
    const page = await deps.store.searchArticles({
      ...search,
      limit: args.limit,
      offset,
    });
    if (page.total === 0) refuseUnread(help, 'No article found');
    const hits = page.hits.map((h) => articleHitOut(h, a));
    const rendered = hits.map(renderArticleHit);
    const head = `${count(page.total, 'article')} ${text ? 'match' : `${args.state === 'all' ? 'in all' : args.state}`}. ${help.freshness.note}`;
    const listed = hitPage({
      head,
      rendered,
      offset,
      total: page.total,
      budget: SEARCH_BUDGET,
      cursorAt: (o) => encodeCursor(o, search),
      none: `No articles${text ? ` match ${quote(text)}` : ''}${args.state === 'published' ? ' among those published (state "all" includes drafts)' : ''}.`,
    });
    return {
      text: listed.text,
      structured: {
        articles: hits.slice(0, listed.shown),
        total: page.total,
        next_cursor: listed.next,
        freshness: help.freshness,
      },
      empty: page.total === 0,
    };
  },
});
