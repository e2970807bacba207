/**
 * The ticket writes of the vendored description: an update (`PUT /tickets/{id}`: state, open,
 * assignee, attributes, all in one second) and a reply or note. The emulator does not model a
 * ticket's snoozing, sharing or company: an update naming them is refused with the API's 400, never
 * silently ignored.
 */
import { z } from 'zod';
import { ApiError, invalid, notFound } from './api-errors.js';
import type { ApiRoute } from './api-route.js';
import type { TicketChange } from './ticket-desk.js';
import { renderPart, renderTicket } from './ticket-routes.js';
import { TICKET_STATES, type TicketSummary } from './tickets.js';
import { actingAdmin, checkCustomer, htmlBody, idRef, parseWrite, replyBody } from './write-input.js';
import type { Workspace } from './workspace.js';

const updateBody = z
  .object({
    ticket_attributes: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    ticket_state_id: idRef.optional(),
    open: z.boolean().optional(),
    assignee_id: idRef.optional(),
    admin_id: idRef.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'admin_id'), 'say what to update');

/** Where `open` moves a ticket when no state is named: the first state of the other kind. */
const REOPENED = TICKET_STATES.find((s) => s.category === 'in_progress')!.id;
const CLOSED = TICKET_STATES.find((s) => s.category === 'resolved')!.id;

function live(ws: Workspace, id: string): TicketSummary {
  const t = ws.tickets.find(id);
  if (!t) throw notFound('Ticket');
  return t;
}

function stateChange(t: TicketSummary, input: z.infer<typeof updateBody>): string | undefined {
  if (input.ticket_state_id !== undefined) {
    const state = TICKET_STATES.find((s) => s.id === input.ticket_state_id);
    if (!state) throw invalid(`Unknown ticket state ${input.ticket_state_id}`, 'ticket_state_id');
    if (input.open !== undefined && input.open !== (state.category !== 'resolved'))
      throw invalid('open contradicts ticket_state_id', 'open');
    return state.id === t.stateId ? undefined : state.id;
  }
  if (input.open === undefined || input.open === t.open) return undefined;
  return input.open ? REOPENED : CLOSED;
}

function update(ws: Workspace, id: string, body: unknown) {
  const input = parseWrite(updateBody, body);
  const t = live(ws, id);
  const adminId = actingAdmin(ws.directory, input.admin_id ?? ws.directory.humans[0]!.id);
  const changes: TicketChange[] = Object.entries(input.ticket_attributes ?? {}).map(([name, value]) => ({
    kind: 'attribute',
    adminId,
    name,
    value,
  }));
  const stateId = stateChange(t, input);
  if (stateId) changes.push({ kind: 'state', adminId, stateId });
  if (input.assignee_id !== undefined) {
    const to = input.assignee_id;
    const assigneeType =
      to === '0' || ws.directory.admin(to) ? 'admin' : ws.directory.team(to) ? 'team' : undefined;
    if (!assigneeType) throw new ApiError(404, 'not_found', `Assignee ${to} Not Found`);
    changes.push({ kind: 'assign', adminId, assigneeId: to, assigneeType });
  }
  return renderTicket(ws, changes.length ? ws.changeTicket(id, changes)! : t, true);
}

function reply(ws: Workspace, id: string, body: unknown) {
  const input = parseWrite(replyBody, body);
  const t = live(ws, id);
  const customer = t.contactIds[0] === undefined ? undefined : ws.directory.contactById(t.contactIds[0]);
  if (input.type === 'user') {
    if (!customer) throw invalid('This ticket has no customer to reply as');
    checkCustomer(input, customer);
  }
  const adminId =
    input.type === 'admin' ? actingAdmin(ws.directory, input.admin_id) : ws.directory.humans[0]!.id;
  const updated = ws.changeTicket(id, [
    {
      kind: 'reply',
      author: input.type === 'admin' ? 'admin' : 'contact',
      adminId,
      partType: input.message_type,
      body: htmlBody(input.body),
    },
  ])!;
  const plan = ws.tickets.plan(updated.index);
  // A `ticket_reply`: the part without the state and assignment a part in a ticket's thread carries.
  const {
    ticket_state: _state,
    assigned_to: _assigned,
    ...part
  } = renderPart(ws, plan, plan.parts.at(-1)!, plan.parts.length - 1, updated.stateId);
  return part;
}

export const TICKET_WRITE_ROUTES: ApiRoute[] = [
  {
    method: 'PUT',
    path: '/tickets/{ticket_id}',
    writes: true,
    handle: (ws, req) => update(ws, req.params.ticket_id!, req.body),
  },
  {
    method: 'POST',
    path: '/tickets/{ticket_id}/reply',
    writes: true,
    handle: (ws, req) => reply(ws, req.params.ticket_id!, req.body),
  },
];
