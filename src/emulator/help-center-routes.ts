/**
 * The Help Center's routes (2.16): articles listed page by page (every state, the most recently
 * updated first), retrieved, and searched; collections listed. Each rendered in the documented
 * shapes, translations under `translated_content`.
 */
import { invalid, notFound } from './api-errors.js';
import { htmlToPlaintext } from './html-text.js';
import { HELP_CENTER_ID, type ArticleContent, type HelpArticle, type HelpCollection } from './help-center.js';
import { numbered, type ApiRequest, type ApiRoute } from './api-route.js';
import type { Workspace } from './workspace.js';

/** The page size of the article and collection lists when none is asked for (the API's example's). */
const DEFAULT_PER_PAGE = 25;
const MAX_PER_PAGE = 150;

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const helpUrl = (ws: Workspace, path: string) => `https://help.${ws.idCode}.example/${path}`;

function renderContent(ws: Workspace, id: string, locale: string, c: ArticleContent) {
  return {
    type: 'article_content',
    title: c.title,
    description: c.description,
    body: c.body,
    author_id: c.authorId,
    state: c.state,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    // A locale's address is a string in the description even for a draft: where it will be served.
    url: helpUrl(ws, `${locale}/articles/${id}-${slug(c.title)}`),
  };
}

export function renderArticle(ws: Workspace, a: HelpArticle) {
  const en = renderContent(ws, a.id, 'en', a);
  return {
    type: 'article',
    id: a.id,
    workspace_id: ws.idCode,
    title: a.title,
    description: a.description,
    body: a.body,
    author_id: a.authorId,
    state: a.state,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    url: a.state === 'published' ? en.url : null,
    parent_ids: a.parentIds,
    default_locale: 'en',
    translated_content: {
      type: 'article_translated_content',
      en,
      ...Object.fromEntries(
        Object.entries(a.translations).map(([locale, c]) => [locale, renderContent(ws, a.id, locale, c)]),
      ),
    },
    tags: { type: 'tag.list', tags: [] },
  };
}

function renderCollection(ws: Workspace, c: HelpCollection) {
  return {
    id: c.id,
    workspace_id: ws.idCode,
    name: c.name,
    description: c.description,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    url: helpUrl(ws, `en/collections/${c.id}-${slug(c.name)}`),
    icon: 'book-bookmark',
    order: c.order,
    default_locale: 'en',
    parent_id: null,
    help_center_id: HELP_CENTER_ID,
  };
}

/**
 * `state` is documented as `published`, `draft` or `all` with no default: `all` here, the reading
 * that returns the most, so a client that wants one state must say so.
 */
function searchArticles(ws: Workspace, req: ApiRequest) {
  const state = req.query.get('state') ?? 'all';
  if (!['published', 'draft', 'all'].includes(state))
    throw invalid('state must be published, draft or all', 'state');
  const helpCenter = req.query.get('help_center_id');
  const phrase = (req.query.get('phrase') ?? '').trim().toLowerCase();
  const matches =
    helpCenter !== null && Number(helpCenter) !== HELP_CENTER_ID
      ? []
      : ws.helpCenter
          .list()
          .filter((a) => state === 'all' || a.state === state)
          .filter((a) =>
            `${a.title}\n${a.description}\n${htmlToPlaintext(a.body)}`.toLowerCase().includes(phrase),
          );
  const { items, pages } = numbered(matches, req, DEFAULT_PER_PAGE, MAX_PER_PAGE);
  return {
    type: 'list',
    total_count: matches.length,
    data: { articles: items.map((a) => renderArticle(ws, a)), highlights: [] },
    pages,
  };
}

export const HELP_CENTER_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/articles',
    handle: (ws, req) => {
      const all = ws.helpCenter.list();
      const { items, pages } = numbered(all, req, DEFAULT_PER_PAGE, MAX_PER_PAGE);
      return { type: 'list', pages, total_count: all.length, data: items.map((a) => renderArticle(ws, a)) };
    },
  },
  { method: 'GET', path: '/articles/search', handle: searchArticles },
  {
    method: 'GET',
    path: '/articles/{article_id}',
    handle: (ws, req) => {
      const article = ws.helpCenter.get(req.params.article_id!);
      if (!article) throw notFound('Article');
      return renderArticle(ws, article);
    },
  },
  {
    method: 'GET',
    path: '/help_center/collections',
    handle: (ws, req) => {
      const all = [...ws.helpCenter.collections].sort((a, b) => b.updatedAt - a.updatedAt);
      const { items, pages } = numbered(all, req, DEFAULT_PER_PAGE, MAX_PER_PAGE);
      return {
        type: 'list',
        pages,
        total_count: all.length,
        data: items.map((c) => renderCollection(ws, c)),
      };
    },
  },
];
