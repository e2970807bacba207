/**
 * The MCP server: the original Python tool's tools, under the same names and parameters
 * (search_conversations, get_conversation, get_server_status, sync_conversations), a resource
 * template for conversations and prompts. Every answer comes from the local copy.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SqliteStore } from '../store/sqlite-store.js';
import { PACKAGE_VERSION } from '../package-root.js';
import { freshness } from './freshness.js';
import { registerInsightTools } from './insight-tools.js';
import { renderHits, renderThread } from './render-text.js';
import type { SyncController } from './sync-controller.js';
import { parseTimeframe } from './timeframe.js';
import { guardTool, iso, toolError, ToolInputError } from './tool-result.js';

export interface McpDeps {
  store: SqliteStore;
  sync: SyncController;
  maxSyncAgeMinutes: number;
  /** Start a background sync when an answer is stale (off in test mode). */
  refreshWhenStale: boolean;
}

const encodeCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
function decodeCursor(cursor: string): number {
  try {
    const o = (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // Reported below.
  }
  throw new ToolInputError('cursor is not one this server returned; pass next_cursor from a previous search');
}

const hitShape = z.object({
  id: z.string(),
  subject: z.string(),
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  state: z.string(),
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  tags: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  message_count: z.number(),
  snippet: z.string(),
});

const freshnessShape = z.object({
  last_sync_at: z.string().nullable(),
  age_minutes: z.number().nullable(),
  stale: z.boolean(),
  window_covered: z.boolean().nullable(),
  note: z.string(),
});

export function createMcpServer(deps: McpDeps): McpServer {
  const { store } = deps;
  const server = new McpServer(
    { name: 'fast-intercom-mcp', version: PACKAGE_VERSION },
    {
      instructions:
        'Answers questions about Intercom conversations from a local, synced copy. Search first, then fetch whole threads by id.',
    },
  );

  const resolve = (kind: 'admin' | 'team' | 'tag', text: string | undefined): string | undefined => {
    if (!text) return undefined;
    const found = store.findReference(kind, text);
    if (found.length === 0) throw new ToolInputError(`No ${kind} matches "${text}"`);
    if (found.length > 1) {
      throw new ToolInputError(
        `"${text}" matches several ${kind}s: ${found
          .slice(0, 5)
          .map((f) => f.name ?? f.id)
          .join(', ')}. Be more specific.`,
      );
    }
    return found[0]!.id;
  };

  const nudge = (stale: boolean) => {
    if (stale && deps.refreshWhenStale && !deps.sync.running) deps.sync.start({});
  };

  server.registerTool(
    'search_conversations',
    {
      title: 'Search conversations',
      description:
        'Full-text search over every synced Intercom conversation (subject, all messages, customer name and email), ranked by relevance, ' +
        'with highlighted snippets. Filter by timeframe in plain words ("last 7 days", "yesterday", "this week", "since June 1", ' +
        '"2024-06-01 to 2024-06-07"), state, assignee (name, email or id), team, tag and customer. Returns ids for get_conversation.',
      inputSchema: {
        query: z
          .string()
          .optional()
          .describe('Words or "quoted phrases" to find; OR between alternatives. Omit to list by time.'),
        timeframe: z
          .string()
          .optional()
          .describe(
            'When the conversations were active, e.g. "last 7 days", "this week", "since 2024-06-01"',
          ),
        customer_email: z.string().optional().describe('Customer email or part of it'),
        customer: z.string().optional().describe('Customer name or email, or part of it'),
        state: z.enum(['open', 'closed', 'snoozed']).optional(),
        assignee: z.string().optional().describe('Assigned teammate: name, email or id'),
        team: z.string().optional().describe('Assigned team: name or id'),
        tag: z.string().optional().describe('Tag name or id'),
        sort: z
          .enum(['relevance', 'newest', 'oldest'])
          .optional()
          .describe('Default: relevance with a query, else newest'),
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.string().optional().describe('next_cursor from the previous page'),
      },
      outputSchema: {
        conversations: z.array(hitShape),
        total: z.number(),
        ranked: z
          .number()
          .nullable()
          .describe(
            'When set, relevance ranked only this many of the total: the most recently synced matches',
          ),
        next_cursor: z.string().nullable(),
        timeframe: z.object({ from: z.string(), to: z.string() }).nullable(),
        freshness: freshnessShape,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const window = args.timeframe ? parseTimeframe(args.timeframe) : undefined;
      const offset = args.cursor ? decodeCursor(args.cursor) : 0;
      const customer = args.customer_email ?? args.customer;
      const adminId = resolve('admin', args.assignee);
      const teamId = resolve('team', args.team);
      const tagId = resolve('tag', args.tag);
      const page = store.searchConversations({
        ...(args.query ? { text: args.query } : {}),
        ...(window ? { from: window.from, to: window.to } : {}),
        ...(args.state ? { state: args.state } : {}),
        ...(adminId ? { adminAssigneeId: adminId } : {}),
        ...(teamId ? { teamAssigneeId: teamId } : {}),
        ...(tagId ? { tagId } : {}),
        ...(customer ? { customer } : {}),
        sort: args.sort ?? (args.query ? 'relevance' : 'newest'),
        limit: args.limit,
        offset,
      });
      const fresh = freshness(store.status(), deps.maxSyncAgeMinutes, window);
      nudge(fresh.stale);
      const reachable = page.ranked ?? page.total;
      const next = offset + page.hits.length < reachable ? encodeCursor(offset + page.hits.length) : null;
      return {
        content: [
          {
            type: 'text',
            text: renderHits(page, fresh.note) + (next ? `\n\nMore: cursor "${next}"` : ''),
          },
        ],
        structuredContent: {
          conversations: page.hits.map((h) => ({
            id: h.id,
            subject: h.subject,
            customer: h.customer,
            state: h.state,
            assignee: h.assignee,
            team: h.team,
            tags: h.tags,
            created_at: iso(h.createdAt),
            updated_at: iso(h.updatedAt),
            message_count: h.messageCount,
            snippet: h.snippet,
          })),
          total: page.total,
          ranked: page.ranked ?? null,
          next_cursor: next,
          timeframe: window ? { from: iso(window.from), to: iso(window.to) } : null,
          freshness: fresh,
        },
      };
    }),
  );

  server.registerTool(
    'get_conversation',
    {
      title: 'Get one conversation',
      description:
        'One conversation by id with its whole thread in order: customer messages, teammate replies, internal notes, assignments, ' +
        'snoozes, closes, with authors and times. For very long threads pass max_parts or max_chars to get the opening message and the most recent parts.',
      inputSchema: {
        conversation_id: z
          .string()
          .min(1)
          .describe('The Intercom conversation id, as search_conversations returns it'),
        max_parts: z.number().int().min(1).optional(),
        max_chars: z.number().int().min(200).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const c = store.getConversation(args.conversation_id);
      if (!c) {
        throw new ToolInputError(
          `No conversation ${args.conversation_id} in the local copy. Check the id, or run sync_conversations if it is new.`,
        );
      }
      const rendered = renderThread(c, {
        ...(args.max_parts !== undefined ? { maxParts: args.max_parts } : {}),
        ...(args.max_chars !== undefined ? { maxChars: args.max_chars } : {}),
      });
      return {
        content: [{ type: 'text', text: rendered.text }],
        structuredContent: {
          id: c.id,
          state: c.state,
          subject: c.title ?? c.subject,
          parts_stored: c.parts.length,
          parts_total: c.partsTotal,
          truncated_by_api: c.parts.length < c.partsTotal,
          parts_shown: rendered.partsShown,
          capped: rendered.capped,
          deleted: c.deletedAt !== null,
        },
      };
    }),
  );

  server.registerTool(
    'get_server_status',
    {
      title: 'Server status',
      description:
        'How much is synced, the database size, the last sync and its result, coverage windows, whether a sync runs now, and freshness.',
      inputSchema: {
        timeframe: z.string().optional().describe('Also say whether this timeframe is fully covered'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const s = store.status();
      const window = args.timeframe ? parseTimeframe(args.timeframe) : undefined;
      const fresh = freshness(s, deps.maxSyncAgeMinutes, window);
      const running = deps.sync.running;
      const structured = {
        conversations: s.conversations,
        messages: s.parts,
        contacts: s.contacts,
        deleted_conversations: s.deletedConversations,
        truncated_threads: s.truncatedThreads,
        database_bytes: s.databaseBytes,
        schema_version: s.schemaVersion,
        last_sync: s.lastRun
          ? {
              status: s.lastRun.status,
              kind: s.lastRun.kind,
              finished_at: s.lastRun.finishedAt ? iso(s.lastRun.finishedAt) : null,
              fetched: s.lastRun.conversations,
              api_calls: s.lastRun.apiCalls,
              error: s.lastRun.error,
            }
          : null,
        coverage: s.coverage.map((w) => ({ from: iso(w.from), to: iso(w.to) })),
        sync_running: running
          ? { done: running.progress?.done ?? 0, total: running.progress?.total ?? 0 }
          : null,
        freshness: fresh,
      };
      const text = [
        `${s.conversations} conversations, ${s.parts} messages, ${s.contacts} contacts; database ${(s.databaseBytes / 1e6).toFixed(1)} MB.`,
        fresh.note,
        s.lastRun
          ? `Last sync: ${s.lastRun.status} (${s.lastRun.kind})${s.lastRun.error ? `: ${s.lastRun.error}` : ''}.`
          : 'No sync yet.',
        running
          ? `A sync is running: ${running.progress?.done ?? 0}/${running.progress?.total ?? '?'} conversations.`
          : 'No sync is running.',
        `Coverage: ${structured.coverage.map((w) => `${w.from} → ${w.to}`).join('; ') || 'none'}.`,
      ].join('\n');
      return { content: [{ type: 'text', text }], structuredContent: structured };
    }),
  );

  server.registerTool(
    'sync_conversations',
    {
      title: 'Sync from Intercom',
      description:
        'Bring the local copy up to date from Intercom: incremental by default, or a window (days / since). Sends progress notifications. ' +
        'If a sync is already running, says so instead of starting another. Waits up to wait_seconds for it to finish.',
      inputSchema: {
        force: z
          .boolean()
          .default(false)
          .describe('Re-fetch every conversation of the window even if unchanged'),
        days: z.number().int().min(1).max(3650).optional(),
        since: z
          .string()
          .optional()
          .describe('A date or timeframe start, e.g. "2024-06-01" or "last monday"'),
        wait_seconds: z.number().int().min(0).max(300).default(50),
      },
      annotations: { readOnlyHint: false, openWorldHint: true, idempotentHint: true },
    },
    guardTool(async (args, extra) => {
      const now = Math.floor(Date.now() / 1000);
      const since =
        args.since !== undefined
          ? parseTimeframe(`since ${args.since}`).from
          : args.days !== undefined
            ? now - args.days * 86400
            : undefined;
      const token = extra._meta?.progressToken;
      const { started, outcome } = deps.sync.start(
        { ...(since !== undefined ? { since } : {}), ...(args.force ? { force: true } : {}) },
        (p) => {
          if (token === undefined) return;
          void extra
            .sendNotification({
              method: 'notifications/progress',
              params: {
                progressToken: token,
                progress: p.done,
                total: Math.max(p.total, p.done),
                message: `${p.done}/${p.total} conversations`,
              },
            })
            .catch(() => undefined);
        },
      );
      const timeout = new Promise<'waiting'>((r) =>
        setTimeout(() => r('waiting'), args.wait_seconds * 1000).unref(),
      );
      const result = await Promise.race([outcome, timeout]);
      if (result === 'waiting') {
        const p = deps.sync.running?.progress;
        return {
          content: [
            {
              type: 'text',
              text: `${started ? 'Sync started' : 'A sync was already running'}; still running (${p?.done ?? 0}/${p?.total ?? '?'}). Ask get_server_status for progress.`,
            },
          ],
        };
      }
      if ('error' in result) return toolError(`Sync failed: ${result.error}`);
      const r = result.result;
      const prefix = started ? 'Sync finished' : 'A sync was already running; it finished';
      return {
        content: [
          {
            type: 'text',
            text: `${prefix} (${r.kind}): ${r.fetched} conversations fetched, ${r.unchanged} unchanged, ${r.deleted} deleted, ${r.apiCalls} API calls in ${(r.elapsedMs / 1000).toFixed(1)} s.`,
          },
        ],
        structuredContent: {
          started,
          kind: r.kind,
          fetched: r.fetched,
          unchanged: r.unchanged,
          deleted: r.deleted,
          api_calls: r.apiCalls,
        },
      };
    }),
  );

  registerInsightTools(server, store);

  server.registerResource(
    'conversation',
    new ResourceTemplate('intercom://conversations/{id}', { list: undefined }),
    {
      title: 'Intercom conversation',
      description: 'A synced conversation as readable text',
      mimeType: 'text/plain',
    },
    async (uri, { id }) => {
      const c = store.getConversation(String(id));
      if (!c) throw new Error(`No conversation ${String(id)} in the local copy`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: renderThread(c, {}).text }] };
    },
  );

  server.registerPrompt(
    'weekly_support_digest',
    {
      title: 'Weekly support digest',
      description:
        'Summarise what customers raised over a timeframe: themes, urgent open issues, notable threads.',
      argsSchema: { timeframe: z.string().optional().describe('Default: last 7 days') },
    },
    ({ timeframe }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Write a support digest for ${timeframe ?? 'the last 7 days'}. Use search_conversations with timeframe "${timeframe ?? 'last 7 days'}" ` +
              '(first without a query, sorted newest, then with queries for themes you notice such as billing, login, bugs), ' +
              'read the most important threads with get_conversation, and report: the main themes with counts, open urgent issues ' +
              'with their ids and assignees, and anything that looks like churn risk. Mention how fresh the data is.',
          },
        },
      ],
    }),
  );

  server.registerPrompt(
    'customer_history',
    {
      title: 'Customer history',
      description: 'Everything a customer has raised, oldest to newest, with the state of each conversation.',
      argsSchema: { customer: z.string().describe('Customer email or name') },
    },
    ({ customer }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Give me the history of ${customer} with our support team. Call search_conversations with customer "${customer}" ` +
              'and sort "oldest", open each conversation with get_conversation, and summarise each: when, what they asked, how it ended. ' +
              'Finish with anything still open.',
          },
        },
      ],
    }),
  );

  return server;
}
