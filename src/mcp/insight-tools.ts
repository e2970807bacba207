/** Beyond the original tool: conversation statistics and contact look-ups, from the local copy. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SqliteStore } from '../store/sqlite-store.js';
import { parseTimeframe } from './timeframe.js';
import { guardTool, iso, ToolInputError } from './tool-result.js';

const duration = (s: number | null) =>
  s === null
    ? 'n/a'
    : s < 3600
      ? `${Math.round(s / 60)} min`
      : s < 172800
        ? `${(s / 3600).toFixed(1)} h`
        : `${(s / 86400).toFixed(1)} days`;

export function registerInsightTools(server: McpServer, store: SqliteStore): void {
  server.registerTool(
    'conversation_stats',
    {
      title: 'Conversation statistics',
      description:
        'Volume of new conversations per day or week over a timeframe, counts by state, tag, assignee and team, and the median ' +
        'first-response time and time to close. E.g. "How many billing conversations did we get last month, and how fast did we answer?"',
      inputSchema: {
        timeframe: z
          .string()
          .default('last 30 days')
          .describe('e.g. "last 30 days", "this week", "since 2024-06-01"'),
        bucket: z.enum(['day', 'week']).optional().describe('Default: day up to 62 days, else week'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const window = parseTimeframe(args.timeframe);
      const bucket = args.bucket ?? (window.to - window.from > 62 * 86400 ? 'week' : 'day');
      const s = store.conversationStats(window.from, window.to, bucket);
      const top = (rows: { name: string; count: number }[]) =>
        rows
          .slice(0, 8)
          .map((r) => `${r.name} ${r.count}`)
          .join(', ') || 'none';
      const text = [
        `${s.total} conversations created ${window.label}.`,
        `By state: ${
          Object.entries(s.byState)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none'
        }.`,
        `Top tags: ${top(s.byTag)}.`,
        `By assignee: ${top(s.byAssignee)}.`,
        `By team: ${top(s.byTeam)}.`,
        `Median first response: ${duration(s.medianFirstResponseSeconds)}; median time to close: ${duration(s.medianTimeToCloseSeconds)}.`,
        `Per ${bucket}: ${s.volume.map((v) => `${v.period} ${v.count}`).join(', ')}`,
      ].join('\n');
      return {
        content: [{ type: 'text', text }],
        structuredContent: { from: iso(window.from), to: iso(window.to), bucket, ...s },
      };
    }),
  );

  server.registerTool(
    'search_contacts',
    {
      title: 'Search contacts',
      description:
        'Customers (users and leads) whose name or email contains the text, with how many conversations each has had.',
      inputSchema: { query: z.string().min(2), limit: z.number().int().min(1).max(100).default(20) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const found = store.searchContacts(args.query, args.limit);
      const text =
        found.length === 0
          ? `No contact matches "${args.query}".`
          : found
              .map(
                (c) =>
                  `${c.name ?? 'anonymous'} <${c.email ?? 'no email'}> (${c.role}, id ${c.id}): ${c.conversations} conversations`,
              )
              .join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { contacts: found } };
    }),
  );

  server.registerTool(
    'get_contact',
    {
      title: 'Get a contact',
      description: 'One customer by id or email, with their most recent conversations.',
      inputSchema: { contact: z.string().min(1).describe('Contact id or exact email') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardTool(async (args) => {
      const c = store.getContact(args.contact);
      if (!c)
        throw new ToolInputError(
          `No contact "${args.contact}" in the local copy (search_contacts finds partial matches).`,
        );
      const text = [
        `${c.name ?? 'anonymous'} <${c.email ?? 'no email'}>, ${c.role}, id ${c.id}: ${c.conversations} conversations.`,
        ...c.recent.map((r) => `  #${r.id} [${r.state}] ${iso(r.updatedAt)} ${r.subject ?? ''}`),
      ].join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { ...c } };
    }),
  );
}
