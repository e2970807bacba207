/** list_workspace: the admins, teams and tags filters can name, with how many conversations each holds. */
import { z } from 'zod';
import type {
  CollectionRecord,
  DirectoryEntry,
  TicketTypeRecord,
  WorkspaceDirectory,
} from '../../store/types.js';
import { answering, type McpDeps } from '../deps.js';
import { freshnessShape } from '../shapes.js';
import { defineTool, READ_ONLY } from './tool.js';

/** Entries listed per kind, busiest first; a workspace with thousands of tags says how many it left out. */
export const DIRECTORY_LIMIT = 100;

const entryShape = z.object({
  id: z.string(),
  name: z.string().optional(),
  conversations: z.number(),
  open: z.number(),
});
type CollectionEntry = CollectionRecord & { articles: number };
type TicketTypeEntry = TicketTypeRecord & { tickets: number; open: number };

const listShape = z.object({ items: z.array(entryShape), total: z.number() });
const adminListShape = z.object({
  items: z.array(entryShape.extend({ email: z.string().optional() })),
  total: z.number(),
});

const list = (entries: DirectoryEntry[]) => ({
  items: entries.slice(0, DIRECTORY_LIMIT).map((e) => ({
    id: e.id,
    name: e.name,
    email: e.email ?? null,
    conversations: e.conversations,
    open: e.open,
  })),
  total: entries.length,
});

export async function workspaceAnswer(deps: McpDeps) {
  const a = await answering(deps);
  const [d, collections, types]: [WorkspaceDirectory, CollectionEntry[], TicketTypeEntry[]] =
    await Promise.all([
      deps.store.workspaceDirectory(),
      deps.store.helpCollections(),
      deps.store.ticketTypes(),
    ]);
  const structured = {
    time_zone: a.zone,
    admins: list(d.admins),
    teams: list(d.teams),
    tags: list(d.tags),
    ticket_types: types.map((t) => ({
      id: t.id,
      name: t.name,
      tickets: t.tickets,
      open: t.open,
    })),
    collections: collections.map((c) => ({ id: c.id, name: c.name, articles: c.articles })),
    freshness: await a.freshness(),
  };
  const section = (title: string, l: ReturnType<typeof list>) =>
    `${title} (${l.total}${l.total > l.items.length ? `, the ${l.items.length} busiest shown` : ''}): ` +
    (l.items
      .map((e) => `${e.name ?? e.id}${e.email ? ` <${e.email}>` : ''} ${e.conversations} (${e.open} open)`)
      .join('; ') || 'none');
  const text = [
    `Workspace time zone: ${a.zone}. Counts are live conversations in the copy. ${structured.freshness.note}`,
    section('Assignees', structured.admins),
    section('Teams', structured.teams),
    section('Tags', structured.tags),
    `Ticket types (${types.length}): ${types.map((t) => `${t.name} (${t.id}, ${t.category}) ${t.tickets} (${t.open} open)`).join('; ') || 'none'}`,
    `Help Center collections (${collections.length}): ${structured.collections.map((c) => `${c.name} (${c.id}) ${c.articles}`).join('; ') || 'none'}`,
  ].join('\n');
  return { text, structured };
}

export const listWorkspace = defineTool({
  name: 'list_workspace',
  title: 'List assignees, teams, tags, ticket types and collections',
  description:
    'The teammates, teams and tags, each with its conversations (and how many are open), so filters ' +
    `name real values; the ticket types and the Help Center's collections; the time zone timeframes are read in. At most ${DIRECTORY_LIMIT} of each kind, busiest first.`,
  input: {},
  output: {
    time_zone: z.string(),
    admins: adminListShape,
    teams: listShape,
    tags: listShape,
    ticket_types: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        tickets: z.number(),
        open: z.number(),
      }),
    ),
    collections: z
      .array(z.object({ id: z.string(), name: z.string(), articles: z.number() }))
      .describe('Help Center collections, with their articles'),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (_args, deps) => workspaceAnswer(deps),
});
