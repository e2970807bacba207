/**
 * search and fetch: the pair research-style clients (ChatGPT connectors, deep research) call, with
 * the shapes they expect, answered from the local copy. Their text content is the JSON of the
 * result, as those clients read it. Tickets and articles come after the conversations, with ids
 * `ticket_<id>` and `article_<id>`, which fetch tells from conversation ids (numbers) by prefix.
 */
import { z } from 'zod';
import { answering, type Answering, type McpDeps } from '../deps.js';
import { FENCE_NOTE } from '../fence.js';
import { MAX_ID_CHARS, parseArticleId, parseConversationId, parseTicketRef } from '../ids.js';
import { hitOut } from '../render-hits.js';
import { freshnessShape, idText, queryArg } from '../shapes.js';
import { threadView } from '../thread-view.js';
import { ticketView } from '../ticket-view.js';
import { ToolInputError } from '../tool-result.js';
import { ARTICLE_NOTE, HELP_CENTER } from './articles.js';
import { articleView } from './get-article.js';
import { THREAD_BUDGET } from './get-conversation.js';
import { refuseForbidden, TICKET_PREFIX, ticketState } from './tickets.js';
import { polledState, refuseUnread } from '../polled-kind.js';
import { defineTool, READ_ONLY } from './tool.js';

const RESULTS = 20;

const ARTICLE_RESULTS = 5;
const ARTICLE_PREFIX = 'article_';

/**
 * The most relevant published articles, after the conversations: the two rankings are not on one
 * scale. A Help Center this token may not read adds none; the conversations still answer.
 */
async function articleResults(deps: McpDeps, query: string) {
  const page = await deps.store.searchArticles({
    text: query,
    state: 'published',
    limit: ARTICLE_RESULTS,
    offset: 0,
  });
  return page.hits.map((h) => ({
    id: `${ARTICLE_PREFIX}${h.id}`,
    title: h.title,
    url: h.url ?? `intercom://articles/${h.id}`,
    text: h.snippet,
  }));
}

const TICKET_RESULTS = 5;

/** The most relevant tickets, after the conversations; none from a token that may not read them. */
async function ticketResults(deps: McpDeps, query: string) {
  const page = await deps.store.searchTickets({
    text: query,
    sort: 'relevance',
    limit: TICKET_RESULTS,
    offset: 0,
  });
  return page.hits.map((h) => ({
    id: `${TICKET_PREFIX}${h.id}`,
    title: h.title ?? `Ticket #${h.number ?? h.id}`,
    url: `intercom://tickets/${h.id}`,
    text: h.snippet,
  }));
}

const linkFor = (url: string | null | undefined, id: string) => url ?? `intercom://conversations/${id}`;

export const search = defineTool({
  name: 'search',
  title: 'Search (research clients)',
  description:
    `Full-text search over the synced Intercom conversations and Help Center, for research clients: the ${RESULTS} most relevant ` +
    `conversations, then up to ${TICKET_RESULTS} tickets (ids ticket_…) and ${ARTICLE_RESULTS} published articles (ids article_…), as id, title, url and a snippet. fetch reads one whole. ${FENCE_NOTE}`,
  input: { query: queryArg.min(1).describe('Words or "quoted phrases"') },
  output: {
    results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), text: z.string() })),
  },
  annotations: READ_ONLY,
  jsonText: true,
  run: async (args, deps) => {
    const a = await answering(deps);
    // Three independent searches, asked together.
    const [page, tickets, articles] = await Promise.all([
      deps.store.searchConversations({ text: args.query, sort: 'relevance', limit: RESULTS, offset: 0 }),
      ticketResults(deps, args.query),
      articleResults(deps, args.query),
    ]);
    const conversations = page.hits.map((h) => {
      const hit = hitOut(h, a);
      return { id: hit.id, title: hit.subject, url: linkFor(hit.url, hit.id), text: hit.snippet };
    });
    const results = [...conversations, ...tickets, ...articles];
    return { text: JSON.stringify({ results }), structured: { results }, empty: results.length === 0 };
  },
});

export const fetch = defineTool({
  name: 'fetch',
  title: 'Fetch (research clients)',
  description: `One conversation, ticket or article by the id search returned: its text (at most ${THREAD_BUDGET.max} tokens) with metadata. ${FENCE_NOTE} ${ARTICLE_NOTE}`,
  input: { id: idText(MAX_ID_CHARS).describe('An id from search, #id or an inbox URL') },
  output: {
    id: z.string(),
    title: z.string(),
    text: z.string(),
    url: z.string(),
    metadata: z.object({
      kind: z.enum(['conversation', 'ticket', 'article']),
      state: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
      customer: z.string().optional(),
      assignee: z.string().optional(),
      tags: z.array(z.string()).optional(),
      parts_total: z.number().optional(),
      capped: z.boolean().optional(),
      collection: z.string().optional(),
      locale: z.string().optional(),
    }),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  jsonText: true,
  run: async (args, deps) => {
    const a = await answering(deps);
    const id = args.id.trim().toLowerCase();
    const structured = id.startsWith(ARTICLE_PREFIX)
      ? await fetchArticle(args.id, deps, a)
      : id.startsWith(TICKET_PREFIX)
        ? await fetchTicket(args.id, deps, a)
        : await fetchConversation(args.id, deps, a);
    return { text: JSON.stringify(structured), structured };
  },
});

async function fetchConversation(input: string, deps: McpDeps, a: Answering) {
  const id = parseConversationId(input);
  const c = await deps.store.getConversation(id);
  if (!c) throw new ToolInputError(`No conversation ${id} in the local copy`);
  const fresh = await a.freshness();
  const view = threadView(c, a, { budget: THREAD_BUDGET, freshness: fresh });
  const t = view.structured;
  return {
    id,
    title: t.subject,
    text: view.text,
    url: linkFor(t.url, id),
    metadata: {
      kind: 'conversation' as const,
      state: t.state,
      created_at: t.created_at,
      updated_at: t.updated_at,
      customer: t.customer ? (t.customer.email ?? t.customer.name) : null,
      assignee: t.assignee?.name ?? null,
      tags: t.tags,
      parts_total: t.parts_total,
      capped: t.capped,
    },
    freshness: fresh,
  };
}

async function fetchTicket(input: string, deps: McpDeps, a: Answering) {
  const ref = parseTicketRef(input);
  const { freshness, forbidden } = await ticketState(deps, a);
  const ticket = await deps.store.getTicket(ref);
  if (!ticket) {
    refuseForbidden(forbidden, `No ticket ${ref}`);
    throw new ToolInputError(`No ticket ${ref} in the local copy`);
  }
  const view = ticketView(ticket, a, { budget: THREAD_BUDGET, freshness });
  const t = view.structured;
  return {
    id: `${TICKET_PREFIX}${t.id}`,
    title: t.title ?? `Ticket #${t.ticket_id ?? t.id}`,
    text: view.text,
    url: `intercom://tickets/${t.id}`,
    metadata: {
      kind: 'ticket' as const,
      state: t.state_label ?? t.state,
      created_at: t.created_at,
      updated_at: t.updated_at,
      customer: ticket.contacts[0] ? (ticket.contacts[0].email ?? ticket.contacts[0].name) : null,
      assignee: t.assignee,
      parts_total: t.parts_total,
    },
    freshness,
  };
}

async function fetchArticle(input: string, deps: McpDeps, a: Answering) {
  const id = parseArticleId(input);
  const help = await polledState(deps, a, HELP_CENTER);
  const article = await deps.store.getArticle(id);
  if (!article) {
    refuseUnread(help, `No article ${id}`);
    throw new ToolInputError(`No article ${id} in the local copy of the Help Center`);
  }
  const view = articleView(article, a, { budget: THREAD_BUDGET, freshness: help.freshness });
  const t = view.structured;
  return {
    id: `${ARTICLE_PREFIX}${id}`,
    title: t.title,
    text: view.text,
    url: t.url ?? `intercom://articles/${id}`,
    metadata: {
      kind: 'article' as const,
      state: t.state,
      created_at: t.created_at,
      updated_at: t.updated_at,
      collection: t.collection?.name ?? null,
      locale: t.locale,
    },
    freshness: help.freshness,
  };
}
