/**
 * The ticket routes (2.16): ticket types and states listed, tickets searched with the conversation
 * query language and stateless cursors (most recently updated first), and retrieved with their
 * parts, the 500 most recent of them. Search results carry no parts, as conversation search
 * carries no threads: a client reads each ticket it needs whole.
 */
import { notFound } from './api-errors.js';
import type { ApiRoute } from './api-route.js';
import type { Directory } from './directory.js';
import { renderPages } from './pagination.js';
import { Rng } from './prng.js';
import { assigneeNumber, customerAttachments, PART_CAP } from './render.js';
import { compile, paged, parseSearch, perPageFrom } from './search-route.js';
import type { FieldSpec } from './search-query.js';
import {
  stateById,
  SUBMITTED,
  TICKET_STATES,
  TICKET_TYPES,
  ticketPartIdFor,
  typeById,
  type TicketAuthor,
  type TicketPart,
  type TicketPlan,
  type TicketState,
  type TicketSummary,
  type TicketType,
} from './tickets.js';
import type { Workspace } from './workspace.js';

type Json = Record<string, unknown>;

const renderState = (s: TicketState) => ({
  type: 'ticket_state',
  id: s.id,
  category: s.category,
  internal_label: s.internalLabel,
  external_label: s.externalLabel,
});

function renderType(ws: Workspace, t: TicketType): Json {
  return {
    type: 'ticket_type',
    id: t.id,
    category: t.category,
    name: t.name,
    icon: '🎟️',
    workspace_id: ws.idCode,
    ticket_type_attributes: {
      type: 'list',
      ticket_type_attributes: t.attributes.map((a, order) => ({
        type: 'ticket_type_attribute',
        id: a.id,
        workspace_id: ws.idCode,
        name: a.name,
        data_type: a.dataType,
        input_options: a.options ? { list_options: a.options.map((label) => ({ label })) } : {},
        order,
        required_to_create: false,
        required_to_create_for_contacts: false,
        visible_on_create: true,
        visible_to_contacts: t.category === 'Customer',
        default: a.name.startsWith('_default_'),
        ticket_type_id: Number(t.id),
        archived: false,
        created_at: ws.anchor - 400 * 86400,
        updated_at: ws.anchor - 400 * 86400,
      })),
    },
    ticket_states: { type: 'list', data: TICKET_STATES.map(renderState) },
    archived: false,
    created_at: ws.anchor - 400 * 86400,
    updated_at: ws.anchor - 400 * 86400,
  };
}

function renderAuthor(author: TicketAuthor, dir: Directory): Json {
  if (author.kind === 'admin') {
    const admin = dir.admin(author.adminId)!;
    return { type: 'admin', id: admin.id, name: admin.name, email: admin.email };
  }
  const c = dir.contact(author.contactIndex);
  return { type: 'user', id: c.id, name: c.name, ...(c.email ? { email: c.email } : {}) };
}

/** A part, with the state the ticket was in once it was added. */
export function renderPart(
  ws: Workspace,
  plan: TicketPlan,
  part: TicketPart,
  k: number,
  stateId: string,
): Json {
  const attribute = part.attribute;
  return {
    type: 'ticket_part',
    id: ticketPartIdFor(plan.index, k),
    part_type: part.partType,
    body: part.body ?? null,
    ...(part.previousStateId ? { previous_ticket_state: stateById(part.previousStateId).category } : {}),
    ticket_state: stateById(stateId).category,
    created_at: part.at,
    updated_at: part.at,
    assigned_to: part.assignedTo ? { type: part.assignedTo.type, id: part.assignedTo.id } : null,
    author: renderAuthor(part.author, ws.directory),
    attachments:
      part.author.kind === 'contact' && part.partType === 'comment'
        ? // A bug report comes with a screenshot more often than a chat message does.
          customerAttachments(new Rng(ws.options.seed, 'ticket-attachment', plan.index, k), 0.3)
        : [],
    redacted: false,
    ...(attribute
      ? {
          updated_attribute_data: {
            attribute: { type: 'attribute', id: attribute.name, label: attribute.name },
            value: { type: 'value', id: null, label: String(attribute.value) },
          },
        }
      : {}),
  };
}

export function renderTicket(ws: Workspace, t: TicketSummary, withParts: boolean): Json {
  const plan = ws.tickets.plan(t.index);
  let stateId = SUBMITTED;
  const parts = withParts
    ? plan.parts.map((p, k) => renderPart(ws, plan, p, k, (stateId = p.stateId ?? stateId))).slice(-PART_CAP)
    : undefined;
  return {
    type: 'ticket',
    id: t.id,
    ticket_id: t.ticketId,
    category: t.category,
    ticket_attributes: plan.attributes,
    ticket_state: renderState(stateById(t.stateId)),
    ticket_type: renderType(ws, typeById(t.typeId)),
    contacts: {
      type: 'contact.list',
      contacts: plan.contactIndexes.map((i) => {
        const c = ws.directory.contact(i);
        return { type: 'contact', id: c.id, external_id: c.externalId };
      }),
    },
    admin_assignee_id: assigneeNumber(t.adminAssigneeId),
    team_assignee_id: assigneeNumber(t.teamAssigneeId),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    open: t.open,
    linked_objects: {
      type: 'list',
      total_count: plan.linkedConversations.length,
      has_more: false,
      data: plan.linkedConversations.map((id) => ({ type: 'conversation', id, category: null })),
    },
    ...(parts
      ? { ticket_parts: { type: 'ticket_part.list', ticket_parts: parts, total_count: plan.parts.length } }
      : {}),
    is_shared: t.category === 'Customer',
    previous_ticket_state_id: t.previousStateId,
  };
}

const ticketFields: Record<string, FieldSpec<TicketSummary>> = {
  id: { type: 'string', get: (t) => t.id },
  created_at: { type: 'date', get: (t) => t.createdAt },
  updated_at: { type: 'date', get: (t) => t.updatedAt },
  state: { type: 'string', get: (t) => stateById(t.stateId).category },
  category: { type: 'string', get: (t) => t.category },
  ticket_type_id: { type: 'string', get: (t) => t.typeId },
  contact_ids: { type: 'string', get: (t) => t.contactIds },
  admin_assignee_id: { type: 'integer', get: (t) => assigneeNumber(t.adminAssigneeId) },
  team_assignee_id: { type: 'integer', get: (t) => assigneeNumber(t.teamAssigneeId) },
  open: { type: 'boolean', get: (t) => t.open },
  snoozed_until: { type: 'date', get: () => null },
  title: { type: 'string', get: (t) => t.title },
};

/** Live tickets, most recently updated first, cached until a ticket changes. */
const sorted = new WeakMap<Workspace, { version: number; list: TicketSummary[] }>();
function byUpdated(ws: Workspace): TicketSummary[] {
  const cached = sorted.get(ws);
  if (cached?.version === ws.tickets.version) return cached.list;
  const list = ws.tickets.live().sort((a, b) => b.updatedAt - a.updatedAt || b.index - a.index);
  sorted.set(ws, { version: ws.tickets.version, list });
  return list;
}

export const TICKET_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/ticket_types',
    handle: (ws) => ({ type: 'list', data: TICKET_TYPES.map((t) => renderType(ws, t)) }),
  },
  {
    method: 'GET',
    path: '/ticket_states',
    handle: (ws) => ({
      type: 'list',
      data: TICKET_STATES.map((s) => ({
        ...renderState(s),
        archived: false,
        ticket_types: { type: 'list', data: TICKET_TYPES.map((t) => renderType(ws, t)) },
      })),
    }),
  },
  {
    method: 'POST',
    path: '/tickets/search',
    handle: (ws, req) => {
      const search = parseSearch(req.body);
      const predicate = compile(search.query, ticketFields);
      const matches = byUpdated(ws).filter(predicate);
      const slice = paged(
        matches,
        perPageFrom(search.pagination?.per_page),
        search.pagination?.starting_after ?? undefined,
      );
      return {
        type: 'ticket.list',
        tickets: slice.items.map((t) => renderTicket(ws, t, false)),
        total_count: matches.length,
        pages: renderPages(slice),
      };
    },
  },
  {
    method: 'GET',
    path: '/tickets/{ticket_id}',
    handle: (ws, req) => {
      const t = ws.tickets.find(req.params.ticket_id!);
      if (!t) throw notFound('Ticket');
      return renderTicket(ws, t, true);
    },
  },
];
