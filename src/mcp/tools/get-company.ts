/** get_company: one company with its people, their open conversations and their tickets. */
import { z } from 'zod';
import { count } from '../../wording.js';
import { answering } from '../deps.js';
import { fenceConversation, fenceCustomer } from '../fence.js';
import { polledState } from '../polled-kind.js';
import { freshnessShape, idText, time } from '../shapes.js';
import {
  COMPANIES,
  COMPANY_NOTE,
  companyLine,
  companyOut,
  companyShape,
  resolveCompany,
} from './companies.js';
import { defineTool, READ_ONLY } from './tool.js';

export const getCompany = defineTool({
  name: 'get_company',
  title: 'Get a company',
  description:
    'One company (id, company_id or exact name): attributes, people, open conversations and tickets (open first), ' +
    `20 each at most, with totals. ${COMPANY_NOTE}`,
  input: { company: idText(200).describe('Its id, company_id or exact name') },
  output: {
    company: companyShape.extend({
      session_count: z.number().optional(),
      created_at: time.optional(),
      last_request_at: time.optional(),
      custom_attributes: z.record(z.string(), z.string()).describe('Values as text'),
    }),
    people: z.array(z.object({ id: z.string(), name: z.string().optional(), email: z.string().optional() })),
    open_conversations: z.array(
      z.object({ id: z.string(), url: z.string().optional(), subject: z.string(), updated_at: time }),
    ),
    open_conversation_total: z.number(),
    tickets: z.array(
      z.object({
        id: z.string(),
        ticket_id: z.string().optional(),
        title: z.string().optional(),
        state: z.string(),
        open: z.boolean(),
        updated_at: time,
      }),
    ),
    ticket_total: z.number(),
    freshness: freshnessShape,
  },
  annotations: READ_ONLY,
  run: async (args, deps) => {
    const a = await answering(deps);
    const state = await polledState(deps, a, COMPANIES);
    const id = await resolveCompany(deps, state, args.company);
    const c = (await deps.store.getCompany(id))!;
    const when = (t: number | null) => (t === null ? null : a.clock(t));
    const company = {
      ...companyOut(c, a),
      session_count: c.sessionCount,
      created_at: when(c.createdAt),
      last_request_at: when(c.lastRequestAt),
      custom_attributes: Object.fromEntries(
        Object.entries(c.customAttributes).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)]])),
      ),
    };
    const people = c.people.map((p) => ({ id: p.id, name: p.name, email: p.email }));
    const open = c.openConversations.map((o) => ({
      id: o.id,
      url: a.url(o.id),
      subject: o.subject,
      updated_at: a.clock(o.updatedAt),
    }));
    const tickets = c.tickets.map((t) => ({
      id: t.id,
      ticket_id: t.number,
      title: t.title,
      state: t.stateLabel ?? t.stateCategory,
      open: t.open,
      updated_at: a.clock(t.updatedAt),
    }));
    const attributes = Object.entries(company.custom_attributes);
    const text = [
      `${companyLine(company)}. ${state.freshness.note}`,
      attributes.length
        ? `Attributes: ${attributes.map(([k, v]) => `${k} ${fenceCustomer(v)}`).join(', ')}`
        : '',
      `People (${count(c.contacts, 'contact')}): ${people.map((p) => `${p.name ?? 'anonymous'} <${p.email ?? 'no email'}> (${p.id})`).join('; ') || 'none in the copy'}`,
      `Open conversations (${c.openConversationCount}):`,
      ...open.map((o) => `  #${o.id} ${o.updated_at} ${fenceConversation(o.subject)}`),
      `Tickets (${c.ticketCount}):`,
      ...tickets.map(
        (t) =>
          `  Ticket ${t.id}${t.ticket_id ? ` (#${t.ticket_id})` : ''} [${t.state}${t.open ? '' : ', closed'}] ${t.updated_at} ${fenceConversation(t.title ?? '(no title)')}`,
      ),
    ]
      .filter(Boolean)
      .join('\n');
    return {
      text,
      structured: {
        company,
        people,
        open_conversations: open,
        open_conversation_total: c.openConversationCount,
        tickets,
        ticket_total: c.ticketCount,
        freshness: state.freshness,
      },
    };
  },
});
