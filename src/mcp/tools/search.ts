/**
 * search and fetch: the pair research-style clients (ChatGPT connectors, deep research) call, with
 * the shapes they expect, answered from the local copy. Their text content is the JSON of the
 * result, as those clients read it.
 */
import { z } from 'zod';
import { answering } from '../deps.js';
import { FENCE_NOTE } from '../fence.js';
import { MAX_ID_CHARS, parseConversationId } from '../ids.js';
import { hitOut } from '../render-hits.js';
import { freshnessShape, idText, queryArg } from '../shapes.js';
import { threadView } from '../thread-view.js';
import { ToolInputError } from '../tool-result.js';
import { THREAD_BUDGET } from './get-conversation.js';
import { defineTool, READ_ONLY } from './tool.js';

const RESULTS = 20;

const linkFor = (url: string | null | undefined, id: string) => url ?? `intercom://conversations/${id}`;

export const search = defineTool({
  name: 'search',
  title: 'Search (research clients)',
  description:
    `Full-text search over the synced Intercom conversations, for research clients: the ${RESULTS} most relevant as id, title, url and a ` +
    `snippet. fetch reads one whole. ${FENCE_NOTE}`,
  input: { query: queryArg.min(1).describe('Words or "quoted phrases"') },
  output: {
    results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), text: z.string() })),
  },
  annotations: READ_ONLY,
  jsonText: true,
  run: async (args, deps) => {
    const a = await answering(deps);
    const page = await deps.store.searchConversations({
      text: args.query,
      sort: 'relevance',
      limit: RESULTS,
      offset: 0,
    });
    const results = page.hits.map((h) => {
      const hit = hitOut(h, a);
      return { id: hit.id, title: hit.subject, url: linkFor(hit.url, hit.id), text: hit.snippet };
    });
    return { text: JSON.stringify({ results }), structured: { results }, empty: results.length === 0 };
  },
});

export const fetch = defineTool({
  name: 'fetch',
  title: 'Fetch (research clients)',
  description: `One conversation by the id search returned: its thread as text (at most ${THREAD_BUDGET.max} tokens) with metadata. ${FENCE_NOTE}`,
  input: { id: idText(MAX_ID_CHARS).describe('An id from search, #id or an inbox URL') },
  output: {
    id: z.string(),
    title: z.string(),
    text: z.string(),
    url: z.string(),
    metadata: z.object({
      state: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
      customer: z.string().optional(),
      assignee: z.string().optional(),
      tags: z.array(z.string()),
      parts_total: z.number(),
      capped: z.boolean(),
    }),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  jsonText: true,
  run: async (args, deps) => {
    const id = parseConversationId(args.id);
    const c = await deps.store.getConversation(id);
    if (!c) throw new ToolInputError(`No conversation ${id} in the local copy`);
    const a = await answering(deps);
    const fresh = await a.freshness();
    const view = threadView(c, a, { budget: THREAD_BUDGET, freshness: fresh });
    const t = view.structured;
    const structured = {
      id,
      title: t.subject,
      text: view.text,
      url: linkFor(t.url, id),
      metadata: {
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
    return { text: JSON.stringify(structured), structured };
  },
});
