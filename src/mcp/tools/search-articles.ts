/** search_articles: the Help Center's articles, in every translation, by words or by collection. */
import { z } from 'zod';
import { count, quote } from '../../wording.js';
import { countThatFit } from '../budget.js';
import { answering, type McpDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from '../filters.js';
import { freshnessShape, nameArg, queryArg } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import {
  ARTICLE_NOTE,
  articleHitOut,
  articleHitShape,
  helpCenterState,
  refuseUnread,
  renderArticleHit,
} from './articles.js';
import { SEARCH_BUDGET } from './search-conversations.js';
import { defineTool, READ_ONLY } from './tool.js';

/** A collection by id, exact name (any case), or else the one name containing the text. */
async function resolveCollection(deps: McpDeps, text: string): Promise<string> {
  const wanted = text.trim().toLowerCase();
  const all = await deps.store.helpCollections();
  const exact = all.filter((c) => c.id === text.trim() || c.name.toLowerCase() === wanted);
  const found = exact.length > 0 ? exact : all.filter((c) => c.name.toLowerCase().includes(wanted));
  if (found.length === 1) return found[0]!.id;
  const names = (found.length > 0 ? found : all).map((c) => `${c.name} (${c.id})`).join(', ');
  throw new ToolInputError(
    found.length > 1
      ? `collection ${quote(text)} is ambiguous: ${names}`
      : `No collection ${quote(text)} in the Help Center${names ? `; there are ${names}` : ''}`,
  );
}

export const searchArticles = defineTool({
  name: 'search_articles',
  title: 'Search Help Center articles',
  description:
    'Full-text search over the Help Center articles in every translation (title, description, body), most relevant first; ' +
    `without a query, the most recently updated. get_article reads one. ${ARTICLE_NOTE}`,
  input: {
    query: queryArg.optional().describe('Words or "quoted phrases", as search_conversations reads them'),
    state: z.enum(['published', 'draft', 'all']).default('published'),
    collection: nameArg.optional().describe('Collection name or id (list_workspace names them)'),
    limit: z.number().int().min(1).max(50).default(10),
    cursor: z.string().max(200).optional().describe('next_cursor from the previous page'),
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
    const help = await helpCenterState(deps, a);
    const collectionId = args.collection ? await resolveCollection(deps, args.collection) : undefined;
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
    const shown = countThatFit(`${head}\n\nMore: cursor "${'x'.repeat(60)}"`, rendered, SEARCH_BUDGET);
    const next = offset + shown < page.total ? encodeCursor(offset + shown, search) : null;
    const none =
      page.total > 0
        ? 'This cursor is past the last article.'
        : `No articles${text ? ` match ${quote(text)}` : ''}${args.state === 'published' ? ' among those published (state "all" includes drafts)' : ''}.`;
    const body = shown > 0 ? rendered.slice(0, shown).map((r) => `\n${r}`) : [none];
    return {
      text: [head, ...body, next ? `\nMore: cursor "${next}"` : ''].filter(Boolean).join('\n'),
      structured: {
        articles: hits.slice(0, shown),
        total: page.total,
        next_cursor: next,
        freshness: help.freshness,
      },
      empty: page.total === 0,
    };
  },
});
