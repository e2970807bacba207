/** The conversation, contact and directory routes the emulator serves, as request → JSON response. */
import { ApiError, invalid, notFound } from './api-errors.js';
import type { Contact } from './directory.js';
import { htmlToPlaintext } from './html-text.js';
import { DEFAULT_PER_PAGE, renderPages } from './pagination.js';
import {
  assigneeNumber,
  priorityOf,
  renderAdmin,
  renderContact,
  renderConversation,
  renderConversationListItem,
  renderMe,
  renderTeam,
} from './render.js';
import { rangeOf, type FieldRange, type FieldSpec } from './search-query.js';
import { compile, paged, parseSearch, perPageFrom } from './search-route.js';
import type { ConversationSummary, Workspace } from './workspace.js';
import { intParam, type ApiRequest, type ApiRoute } from './api-route.js';

/** Whether API version `v` ("2.14") is older than `than`. */
const versionBefore = (v: string, than: string) => {
  const [a, b] = [v, than].map((x) => x.split('.').map(Number));
  return a![0]! < b![0]! || (a![0] === b![0] && (a![1] ?? 0) < b![1]!);
};

const DELETED_MAX_PER_PAGE = 60;

/**
 * `GET /conversations/deleted` (2.16): page-numbered, newest deletion first unless `order=asc`.
 * Pages are counted on the list as it is when each is asked for, so deletions made while a client
 * pages push older ones onto later pages, as with any stateless paging.
 */
function deletedConversations(ws: Workspace, req: ApiRequest) {
  if (req.version !== undefined && /^\d+\.\d+$/.test(req.version) && versionBefore(req.version, '2.16'))
    throw new ApiError(
      400,
      'intercom_version_invalid',
      'Requested resource is not available in current API version.',
    );
  const perPage = intParam(req, 'per_page', DEFAULT_PER_PAGE, 1, DELETED_MAX_PER_PAGE);
  const page = intParam(req, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const order = req.query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalid('order must be asc or desc', 'order');
  const sign = order === 'asc' ? 1 : -1;
  const all = ws
    .deletions()
    .sort((a, b) => sign * (a.deletedAt - b.deletedAt || Number(a.id) - Number(b.id)));
  const totalPages = Math.ceil(all.length / perPage);
  const next = new URL('/conversations/deleted', req.origin);
  next.search = new URLSearchParams({ per_page: String(perPage), order, page: String(page + 1) }).toString();
  return {
    type: 'conversations.list',
    conversations: all.slice((page - 1) * perPage, page * perPage).map((d) => ({
      type: 'conversation',
      id: d.id,
      metrics_retained: false,
      deleted_at: d.deletedAt,
    })),
    total_count: all.length,
    pages: {
      type: 'pages',
      page,
      per_page: perPage,
      total_pages: totalPages,
      next: page < totalPages ? next.href : null,
    },
  };
}

function authorOf(ws: Workspace, s: ConversationSummary): { name: string | null; email: string | null } {
  const plan = ws.plan(s.index);
  if (plan.sourceAuthor.kind === 'admin') {
    const admin = ws.directory.admin(plan.sourceAuthor.adminId)!;
    return { name: admin.name, email: admin.email };
  }
  return ws.directory.contact(plan.contactIndex);
}

function conversationFields(ws: Workspace): Record<string, FieldSpec<ConversationSummary>> {
  const sourceText = (s: ConversationSummary) => {
    const item = renderConversationListItem(ws, s, { plaintext: false }) as {
      source: { body: string; subject: string };
    };
    return item.source;
  };
  return {
    id: { type: 'string', get: (s) => s.id },
    created_at: { type: 'date', get: (s) => s.createdAt },
    updated_at: { type: 'date', get: (s) => s.updatedAt },
    waiting_since: { type: 'date', get: (s) => s.waitingSince },
    snoozed_until: { type: 'date', get: (s) => s.snoozedUntil },
    state: { type: 'string', get: (s) => s.state },
    open: { type: 'boolean', get: (s) => s.state !== 'closed' },
    read: { type: 'boolean', get: (s) => s.read },
    priority: { type: 'string', get: priorityOf },
    admin_assignee_id: { type: 'integer', get: (s) => assigneeNumber(s.adminAssigneeId) },
    team_assignee_id: { type: 'integer', get: (s) => assigneeNumber(s.teamAssigneeId) },
    tag_ids: { type: 'tag', get: (s) => s.tagIds },
    contact_ids: { type: 'string', get: (s) => [s.contactId] },
    teammate_ids: { type: 'string', get: (s) => s.teammateIds },
    'source.type': { type: 'string', get: (s) => s.sourceType },
    'source.delivered_as': { type: 'string', get: (s) => s.deliveredAs },
    'source.author.email': { type: 'string', get: (s) => authorOf(ws, s).email },
    'source.author.name': { type: 'string', get: (s) => authorOf(ws, s).name },
    'source.subject': { type: 'string', get: (s) => sourceText(s).subject },
    'source.body': { type: 'words', get: (s) => htmlToPlaintext(sourceText(s).body) },
  };
}

/**
 * The contacts a search can match, in index order: those it names when it asks for ids (what the
 * sync asks, 150 at a time, for the contacts no message names), else every one. A workspace of a
 * million conversations has hundreds of thousands of contacts, each made on demand: testing them
 * all took over 10 s a request, where Intercom answers from an index.
 */
function contactCandidates(ws: Workspace, query: unknown): Iterable<Contact> {
  const q = query as { field?: unknown; operator?: unknown; value?: unknown };
  const ids =
    q.field === 'id' && q.operator === 'IN' && Array.isArray(q.value)
      ? q.value
      : q.field === 'id' && q.operator === '=' && typeof q.value === 'string'
        ? [q.value]
        : undefined;
  if (!ids) return ws.directory.contacts();
  const named = new Map<number, Contact>();
  for (const id of ids) {
    const c = typeof id === 'string' ? ws.directory.contactById(id) : undefined;
    if (c) named.set(c.index, c);
  }
  return [...named.values()].sort((a, b) => a.index - b.index);
}

const contactFields: Record<string, FieldSpec<Contact>> = {
  id: { type: 'string', get: (c) => c.id },
  email: { type: 'string', get: (c) => c.email },
  name: { type: 'string', get: (c) => c.name },
  role: { type: 'string', get: (c) => c.role },
  external_id: { type: 'string', get: (c) => c.externalId },
  created_at: { type: 'date', get: (c) => c.createdAt },
};

const SORT_KEYS: Record<string, (s: ConversationSummary) => number> = {
  updated_at: (s) => s.updatedAt,
  created_at: (s) => s.createdAt,
  id: (s) => s.index,
  waiting_since: (s) => s.waitingSince ?? 0,
};

function sortSummaries(list: ConversationSummary[], field: string, order: 'ascending' | 'descending') {
  const key = SORT_KEYS[field];
  if (!key) throw invalid(`Sorting is not supported on field '${field}'`, 'sort');
  const sign = order === 'ascending' ? 1 : -1;
  return list.sort((a, b) => sign * (key(a) - key(b)) || a.index - b.index);
}

/** Fields whose sort key is the field's own value, so a range of it is a run of the sorted view. */
const RANGE_FIELDS = new Set(['updated_at', 'created_at']);

/** The run of a view sorted by `key` whose values fall in `range`, found by bisection. */
function inRange(
  view: ConversationSummary[],
  key: (s: ConversationSummary) => number,
  order: 'ascending' | 'descending',
  range: FieldRange,
): ConversationSummary[] {
  const above = (v: number) => v > range.lo || (range.loIn && v === range.lo);
  const under = (v: number) => v < range.hi || (range.hiIn && v === range.hi);
  // The first index where `past` holds, `past` being false then true along the view.
  const first = (past: (s: ConversationSummary) => boolean) => {
    let lo = 0;
    let hi = view.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (past(view[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return order === 'ascending'
    ? view.slice(
        first((s) => above(key(s))),
        first((s) => !under(key(s))),
      )
    : view.slice(
        first((s) => under(key(s))),
        first((s) => !above(key(s))),
      );
}

/**
 * Live conversations in one order, cached until the workspace changes: a search then only filters.
 * The default order of lists and searches is undocumented; the emulator uses most recently updated first.
 */
const sortedViews = new WeakMap<Workspace, Map<string, { version: number; list: ConversationSummary[] }>>();
function sortedView(ws: Workspace, field = 'updated_at', order: 'ascending' | 'descending' = 'descending') {
  let views = sortedViews.get(ws);
  if (!views) sortedViews.set(ws, (views = new Map()));
  const key = `${field} ${order}`;
  let view = views.get(key);
  if (!view || view.version !== ws.version) {
    view = { version: ws.version, list: sortSummaries(ws.live(), field, order) };
    views.set(key, view);
  }
  return view.list;
}

export const API_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/me', handle: (ws) => renderMe(ws) },
  {
    method: 'GET',
    path: '/admins',
    handle: (ws) => ({ type: 'admin.list', admins: ws.directory.admins.map(renderAdmin) }),
  },
  {
    method: 'GET',
    path: '/admins/{id}',
    handle: (ws, req) => {
      const admin = ws.directory.admin(req.params.id!);
      if (!admin) throw notFound('Admin');
      return renderAdmin(admin);
    },
  },
  {
    method: 'GET',
    path: '/teams',
    handle: (ws) => ({ type: 'team.list', teams: ws.directory.teams.map(renderTeam) }),
  },
  {
    method: 'GET',
    path: '/tags',
    handle: (ws) => ({
      type: 'list',
      data: ws.directory.tags.map((t) => ({ type: 'tag', id: t.id, name: t.name })),
    }),
  },
  {
    method: 'GET',
    path: '/conversations',
    handle: (ws, req) => {
      const slice = paged(
        sortedView(ws),
        perPageFrom(req.query.get('per_page') ?? undefined),
        req.query.get('starting_after') ?? undefined,
      );
      return {
        type: 'conversation.list',
        conversations: slice.items.map((s) => renderConversationListItem(ws, s, { plaintext: false })),
        total_count: ws.live().length,
        pages: renderPages(slice),
      };
    },
  },
  {
    method: 'POST',
    path: '/conversations/search',
    handle: (ws, req) => {
      const search = parseSearch(req.body);
      const predicate = compile(search.query, conversationFields(ws));
      const perPage = perPageFrom(search.pagination?.per_page);
      const field = search.sort?.field ?? 'updated_at';
      const view = sortedView(ws, field, search.sort?.order);
      const range = RANGE_FIELDS.has(field) ? rangeOf(search.query, field) : undefined;
      const sorted = range
        ? inRange(view, SORT_KEYS[field]!, search.sort?.order ?? 'descending', range)
        : view.filter(predicate);
      const slice = paged(sorted, perPage, search.pagination?.starting_after ?? undefined);
      return {
        type: 'conversation.list',
        conversations: slice.items.map((s) => renderConversationListItem(ws, s, { plaintext: false })),
        total_count: sorted.length,
        pages: renderPages(slice),
      };
    },
  },
  { method: 'GET', path: '/conversations/deleted', handle: deletedConversations },
  {
    method: 'GET',
    path: '/conversations/{id}',
    handle: (ws, req) => {
      const summary = ws.find(req.params.id!);
      if (!summary) throw notFound('Conversation');
      const displayAs = req.query.get('display_as');
      return renderConversation(ws, summary, { plaintext: displayAs === 'plaintext' });
    },
  },
  {
    method: 'GET',
    path: '/contacts/{id}',
    handle: (ws, req) => {
      const contact = ws.directory.contactById(req.params.id!);
      if (!contact) throw notFound('User');
      return renderContact(contact, ws);
    },
  },
  {
    method: 'POST',
    path: '/contacts/search',
    handle: (ws, req) => {
      const search = parseSearch(req.body);
      const predicate = compile(search.query, contactFields);
      const perPage = perPageFrom(search.pagination?.per_page);
      const matches = [...contactCandidates(ws, search.query)].filter(predicate);
      const slice = paged(matches, perPage, search.pagination?.starting_after ?? undefined);
      return {
        type: 'list',
        data: slice.items.map((c) => renderContact(c, ws)),
        total_count: matches.length,
        pages: renderPages(slice),
      };
    },
  },
];
