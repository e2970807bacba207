/**
 * The emulator's control API under `/_emulator/`: lets tests and demos move time forward (new
 * conversations, replies, state changes, deletions; article and ticket changes), change the token,
 * latency, limits and faults, subscribe a webhook endpoint, and read request counts and the writes
 * the API was asked for (`GET /writes`). Never part of Intercom's API, so it takes no token and is
 * never limited.
 */
import { z } from 'zod';
import { ApiError, invalid, notFound } from './api-errors.js';
import { faultConfigSchema, scriptedFaultSchema } from './faults.js';
import type { EmulatorSettings } from './settings.js';
import { TICKET_STATES } from './tickets.js';
import { subscriptionSchema, type WebhookSender } from './webhooks.js';
import type { ConversationSummary, Workspace } from './workspace.js';

export const CONTROL_PREFIX = '/_emulator';

const replySchema = z.object({
  author: z.enum(['contact', 'admin']).default('contact'),
  adminId: z.string().optional(),
  body: z.string().min(1),
  partType: z.enum(['comment', 'note']).default('comment'),
});
const stateSchema = z.object({
  state: z.enum(['open', 'closed', 'snoozed']),
  adminId: z.string().optional(),
  snoozedUntil: z.number().int().optional(),
});
const editSchema = z
  .object({
    addTag: z.string().optional(),
    removeTag: z.string().optional(),
    priority: z.boolean().optional(),
    read: z.boolean().optional(),
    title: z.string().optional(),
    attribute: z.boolean().optional(),
    redactPart: z.number().int().optional(),
  })
  .refine((e) => Object.keys(e).length > 0, 'say what changes');
const bulkStateSchema = stateSchema.extend({ ids: z.array(z.string()).min(1) });
const newConversationSchema = z.object({
  body: z.string().min(1),
  subject: z.string().optional(),
  contactIndex: z.number().int().min(0).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw invalid(`Invalid control request: ${z.prettifyError(result.error)}`);
  return result.data;
}

function compact(s: ConversationSummary) {
  return {
    id: s.id,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    state: s.state,
    part_count: s.partCount,
    contact_id: s.contactId,
    tag_ids: s.tagIds,
    admin_assignee_id: s.adminAssigneeId,
  };
}

function stateChange(ws: Workspace, id: string, input: z.infer<typeof stateSchema>, at?: number) {
  const admin = input.adminId ?? ws.directory.humans[0]!.id;
  if (!ws.directory.admin(admin)) throw invalid(`Unknown admin ${admin}`);
  const partType = input.state === 'closed' ? 'close' : input.state === 'snoozed' ? 'snoozed' : 'open';
  const snoozedUntil = input.state === 'snoozed' ? (input.snoozedUntil ?? ws.now() + 86400) : undefined;
  const updated = ws.addPart(
    id,
    {
      author: { kind: 'admin', adminId: admin },
      partType,
      state: input.state,
      ...(snoozedUntil !== undefined ? { snoozedUntil } : {}),
    },
    at,
  );
  if (!updated) throw notFound('Conversation');
  return compact(updated);
}

const articleEditSchema = z.object({
  title: z.string().min(1).optional(),
  body: z.string().optional(),
  state: z.enum(['published', 'draft']).optional(),
  translate: z.object({ locale: z.string().min(2), title: z.string().min(1), body: z.string() }).optional(),
});

/** `POST /articles/{id}/edit` changes an article now; `DELETE /articles/{id}` deletes it. */
function articleControl(ws: Workspace, id: string, route: string, body: unknown) {
  if (route.startsWith('DELETE')) {
    if (!ws.helpCenter.remove(id)) throw notFound('Article');
    return { id, deleted: true };
  }
  const updated = ws.editArticle(id, parse(articleEditSchema, body));
  if (!updated) throw notFound('Article');
  return { id, title: updated.title, state: updated.state, updatedAt: updated.updatedAt };
}

const ticketChangeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reply'),
    author: z.enum(['contact', 'admin']).default('contact'),
    body: z.string().min(1),
    partType: z.enum(['comment', 'note']).default('comment'),
  }),
  z.object({ kind: z.literal('state'), stateId: z.string() }),
  z.object({ kind: z.literal('assign'), assigneeId: z.string() }),
  z.object({
    kind: z.literal('attribute'),
    name: z.string().min(1),
    value: z.union([z.string(), z.number()]),
  }),
]);

/**
 * `POST /tickets/{id}/change` adds a part now, or at `at`, a second already past (`/tickets/{id},{id},…/change`:
 * to each, in one second, as a bulk action in the inbox does); `DELETE /tickets/{id}` deletes the ticket.
 */
function ticketControl(ws: Workspace, id: string, route: string, body: unknown) {
  if (route.startsWith('DELETE')) {
    if (!ws.tickets.delete(id)) throw notFound('Ticket');
    return { id, deleted: true };
  }
  const input = parse(
    ticketChangeSchema.and(z.object({ adminId: z.string().optional(), at: z.number().int().optional() })),
    body,
  );
  const adminId = input.adminId ?? ws.directory.humans[0]!.id;
  if (!ws.directory.admin(adminId)) throw invalid(`Unknown admin ${adminId}`);
  if (input.kind === 'state' && !TICKET_STATES.some((s) => s.id === input.stateId))
    throw invalid(`Unknown ticket state ${input.stateId}`);
  if (input.kind === 'assign' && !ws.directory.admin(input.assigneeId))
    throw invalid(`Unknown admin ${input.assigneeId}`);
  const ids = id.split(',');
  const tickets = ids.map((one) => ws.tickets.find(one));
  if (!tickets.every((t) => t !== undefined)) throw notFound('Ticket');
  // A second already past, to place a change in the one a sync read the ticket in: never before
  // the ticket's last change, never in the future.
  if (input.at !== undefined && (input.at > ws.now() || tickets.some((t) => t.updatedAt > input.at!)))
    throw invalid(`at ${input.at} is before the ticket's last change or in the future`);
  const { at, ...change } = input;
  const updated = ws.editTickets(
    ids,
    change.kind === 'reply' ? { ...change, adminId, body: `<p>${change.body}</p>` } : { ...change, adminId },
    at,
  );
  return updated.length === 1 ? updated[0] : { tickets: updated };
}

const companyChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plan'), plan: z.string().min(1) }),
  z.object({ kind: z.literal('attribute'), name: z.string().min(1), value: z.string() }),
  z.object({ kind: z.literal('tag'), tagId: z.string() }),
  z.object({ kind: z.literal('attach'), contactId: z.string() }),
  z.object({ kind: z.literal('detach'), contactId: z.string() }),
]);

/**
 * `POST /companies` creates one now; `POST /companies/{id}/change` changes one (attach and detach
 * take a user's contact id); `DELETE /companies/{id}` deletes it; `POST /companies/scroll/break`
 * ends the open scroll with a network error after `pages` more pages.
 */
function companyControl(ws: Workspace, id: string | undefined, route: string, body: unknown) {
  if (route === 'POST /companies')
    return ws.addCompany(parse(z.object({ name: z.string().min(1) }), body).name);
  if (route === 'POST /companies/scroll/break') {
    ws.companies.scrolls.breakAfterPages(parse(z.object({ pages: z.number().int().min(0) }), body).pages);
    return { scheduled: true };
  }
  if (route.startsWith('DELETE')) {
    if (!ws.companies.delete(id!)) throw notFound('Company');
    return { id, deleted: true };
  }
  const input = parse(companyChangeSchema, body);
  if (input.kind === 'tag' && !ws.directory.tag(input.tagId)) throw invalid(`Unknown tag ${input.tagId}`);
  if (input.kind === 'attach' || input.kind === 'detach') {
    const contact = ws.directory.contactById(input.contactId);
    if (contact?.role !== 'user') throw invalid(`No user ${input.contactId}: companies hold users`);
    const updated = ws.changeCompany(id!, { kind: input.kind, contactIndex: contact.index });
    if (!updated) throw notFound('Company');
    return updated;
  }
  const updated = ws.changeCompany(id!, input);
  if (!updated) throw notFound('Company');
  return updated;
}

export function handleControl(
  ws: Workspace,
  settings: EmulatorSettings,
  webhooks: WebhookSender,
  method: string,
  path: string,
  body: unknown,
): unknown {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length) || '/'}`;
  const convMatch = /^(POST|DELETE) \/conversations\/(\d+)(\/reply|\/state|\/edit)?$/.exec(route);
  if (convMatch) {
    const [, verb, id, action] = convMatch as unknown as [string, string, string, string | undefined];
    if (verb === 'DELETE' && !action) {
      if (!ws.delete(id)) throw notFound('Conversation');
      return { id, deleted: true };
    }
    if (verb === 'POST' && action === '/reply') {
      const input = parse(replySchema, body);
      const adminId = input.adminId ?? ws.directory.humans[0]!.id;
      const updated = ws.addPart(id, {
        author: input.author === 'contact' ? { kind: 'contact' } : { kind: 'admin', adminId },
        partType: input.partType,
        body: `<p>${input.body}</p>`,
      });
      if (!updated) throw notFound('Conversation');
      return compact(updated);
    }
    if (verb === 'POST' && action === '/state') return stateChange(ws, id, parse(stateSchema, body));
    if (verb === 'POST' && action === '/edit') {
      const change = parse(editSchema, body);
      if (change.addTag && !ws.directory.tag(change.addTag)) throw invalid(`Unknown tag ${change.addTag}`);
      const updated = ws.edit(id, change);
      if (!updated) throw notFound('Conversation or part');
      return compact(updated);
    }
  }
  const ticketMatch = /^(?:POST \/tickets\/(\d+(?:,\d+)*)\/change|DELETE \/tickets\/(\d+))$/.exec(route);
  if (ticketMatch) return ticketControl(ws, ticketMatch[1] ?? ticketMatch[2]!, route, body);
  const companyMatch =
    /^(?:POST \/companies(?:\/scroll\/break)?|POST \/companies\/([0-9a-f]{24})\/change|DELETE \/companies\/([0-9a-f]{24}))$/.exec(
      route,
    );
  if (companyMatch) return companyControl(ws, companyMatch[1] ?? companyMatch[2], route, body);
  const articleMatch = /^(?:POST \/articles\/(\d+)\/edit|DELETE \/articles\/(\d+))$/.exec(route);
  if (articleMatch) return articleControl(ws, articleMatch[1] ?? articleMatch[2]!, route, body);
  switch (route) {
    case 'GET /state':
      return {
        seed: ws.options.seed,
        name: ws.name,
        anchor: ws.anchor,
        now: ws.now(),
        conversations: ws.live().length,
        deleted: ws.size - ws.live().length,
        contacts: ws.directory.contactCount,
        companies: ws.companies.live().length,
        perMinute: settings.limiter.perMinute,
        perWindow: settings.limiter.perWindow,
        clockOffsetSeconds: settings.clockOffsetMs / 1000,
        neighbourShare: settings.limiter.neighbourShare,
        latency: settings.latency,
        faults: settings.faults.config,
      };
    case 'GET /requests':
      return {
        counts: Object.fromEntries(settings.requestCounts),
        total: [...settings.requestCounts.values()].reduce((a, b) => a + b, 0),
        rateLimited: settings.rateLimited,
        unauthorized: settings.unauthorized,
        faultsInjected: settings.faults.injected,
        neighbour: settings.limiter.neighbour,
      };
    case 'GET /writes':
      return { writes: settings.writes.list() };
    case 'DELETE /writes':
      settings.writes.clear();
      return { cleared: true };
    case 'DELETE /requests':
      settings.resetCounts();
      return { reset: true };
    case 'GET /conversations':
      return { conversations: ws.live().map(compact) };
    case 'GET /tickets':
      return { tickets: ws.tickets.live() };
    case 'GET /companies':
      return {
        companies: ws.companies.live().map((c) => ({
          ...c,
          contactIds: ws.companies.contactsOf(c).map((i) => ws.directory.contact(i).id),
        })),
        scrolls: {
          opened: ws.companies.scrolls.opened,
          refused: ws.companies.scrolls.refused,
          finished: ws.companies.scrolls.finished,
        },
      };
    case 'POST /conversations':
      return compact(ws.addConversation(parse(newConversationSchema, body)));
    case 'POST /conversations/bulk_state': {
      // One timestamp for all, as a bulk close in the inbox does: many conversations share a second.
      const input = parse(bulkStateSchema, body);
      const at = ws.now();
      return { conversations: input.ids.map((id) => stateChange(ws, id, input, at)) };
    }
    case 'PUT /token':
      settings.token = parse(z.object({ token: z.string().min(1) }), body).token;
      return { updated: true };
    case 'PUT /latency':
      settings.latency = parse(
        z.object({ fixedMs: z.number().min(0), jitterMs: z.number().min(0).default(0) }),
        body,
      );
      return settings.latency;
    case 'PUT /rate_limit':
      settings.limiter.perMinute = parse(z.object({ perMinute: z.number().int().min(6) }), body).perMinute;
      return { perMinute: settings.limiter.perMinute, perWindow: settings.limiter.perWindow };
    case 'PUT /clock':
      settings.clockOffsetMs =
        parse(z.object({ offsetSeconds: z.number().min(-86_400).max(86_400) }), body).offsetSeconds * 1000;
      return { offsetSeconds: settings.clockOffsetMs / 1000 };
    case 'PUT /neighbour':
      settings.limiter.neighbourShare = parse(z.object({ share: z.number().min(0).max(0.95) }), body).share;
      return { share: settings.limiter.neighbourShare };
    case 'PUT /faults':
      settings.faults.configure(parse(faultConfigSchema, body));
      return settings.faults.config;
    case 'POST /faults/scripted':
      settings.faults.addScripted(parse(scriptedFaultSchema, body));
      return { added: true };
    case 'DELETE /faults':
      settings.faults.clear();
      return { cleared: true };
    case 'PUT /webhooks':
      webhooks.subscribe(parse(subscriptionSchema, body));
      return { subscribed: true };
    case 'DELETE /webhooks':
      webhooks.unsubscribe();
      return { unsubscribed: true };
    case 'GET /webhooks':
      return { subscribed: webhooks.subscribed !== undefined, ...webhooks.stats };
    case 'POST /webhooks/ping':
      webhooks.ping();
      return { sent: true };
    default:
      throw new ApiError(404, 'not_found', `No control route ${route}`);
  }
}
