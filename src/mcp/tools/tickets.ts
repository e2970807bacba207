/**
 * What the ticket tools share: how fresh the tickets are (the last sync, and the tickets' own
 * coverage for a timeframe), whether the token may read them at all, ids as people paste them,
 * the state argument, and the shape of a hit.
 */
import { z } from 'zod';
import type { TicketHit, TicketSearchParams } from '../../store/types.js';
import { TICKET_STATE_CATEGORIES, type TicketStateCategory } from '../../store/types.js';
import { ticketCoverage, TICKETS_FORBIDDEN_KEY } from '../../sync/tickets.js';
import type { Timeframe } from '../../time/timeframe.js';
import { answering, type Answering, type McpDeps } from '../deps.js';
import { fenceConversation } from '../fence.js';
import type { Freshness } from '../freshness.js';
import { pickNamed, resolveReference } from '../references.js';
import { customerArg, nameArg, queryArg, refName, time, timeframeArg, type Out } from '../shapes.js';
import { ToolInputError } from '../tool-result.js';
import { polledState } from '../polled-kind.js';
import { COMPANIES, resolveCompany } from './companies.js';

export const TICKET_PREFIX = 'ticket_';

/** The tickets' freshness, and why the token may not read them when Intercom refused it. */
export async function ticketState(
  deps: McpDeps,
  a: Answering,
  window?: Timeframe,
): Promise<{ freshness: Freshness; forbidden: string | undefined }> {
  const [status, coverage, forbidden] = await Promise.all([
    deps.store.status(),
    ticketCoverage(deps.store),
    deps.store.getMeta(TICKETS_FORBIDDEN_KEY),
  ]);
  const fresh = await a.freshness(window, { ...status, coverage });
  return {
    freshness: forbidden
      ? {
          ...fresh,
          note: `${fresh.note} The access token may not read tickets (${forbidden}): those stored before are all there is.`,
        }
      : fresh,
    forbidden: forbidden || undefined,
  };
}

/** Nothing found is an answer only from tickets the token may read. */
export function refuseForbidden(forbidden: string | undefined, what: string): void {
  if (forbidden)
    throw new ToolInputError(
      `${what}: the access token may not read tickets (${forbidden}). Give it the "Read tickets" permission, then sync.`,
    );
}

/** A state argument: one of Intercom's categories, or a state's own name (a custom one). */
export function stateFilter(
  state: string | undefined,
): Pick<TicketSearchParams, 'stateCategory' | 'stateLabel'> {
  if (state === undefined) return {};
  const key = state
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return TICKET_STATE_CATEGORIES.includes(key as TicketStateCategory)
    ? { stateCategory: key as TicketStateCategory }
    : { stateLabel: state.trim() };
}

export const ticketHitShape = z.object({
  id: z.string(),
  ticket_id: z.string().optional(),
  title: z.string().optional(),
  state: z.string(),
  state_label: z.string().optional(),
  ticket_type: z.string().optional(),
  category: z.string(),
  assignee: z.string().optional(),
  team: z.string().optional(),
  created_at: time,
  updated_at: time,
  snippet: z.string(),
});

export const ticketHitOut = (h: TicketHit, a: Answering): Out<typeof ticketHitShape> => ({
  id: h.id,
  ticket_id: h.number,
  title: h.title,
  state: h.stateCategory,
  state_label: h.stateLabel,
  ticket_type: h.type,
  category: h.category,
  assignee: refName(h.adminAssignee),
  team: refName(h.teamAssignee),
  created_at: a.clock(h.createdAt),
  updated_at: a.clock(h.updatedAt),
  snippet: h.snippet,
});

export const renderTicketHit = (h: Out<typeof ticketHitShape>) =>
  [
    `Ticket #${h.ticket_id ?? '?'} (id ${h.id}) [${h.state_label ?? h.state}] ${h.ticket_type ?? h.category}, updated ${h.updated_at}` +
      `${h.assignee ? `, ${h.assignee}` : ''}${h.team ? `, team ${h.team}` : ''}`,
    `  ${fenceConversation(h.title ?? '(no title)')}`,
    h.snippet && h.snippet !== h.title ? `  ${fenceConversation(h.snippet)}` : '',
  ]
    .filter(Boolean)
    .join('\n');

/** The filters search_tickets and ticket_stats share. */
export const ticketFilterArgs = {
  query: queryArg.optional(),
  timeframe: timeframeArg.optional().describe('When the tickets were active'),
  state: nameArg
    .optional()
    .describe('submitted, in_progress, waiting_on_customer, resolved, or a custom state’s name'),
  ticket_type: nameArg.optional().describe('Name or id'),
  assignee: nameArg.optional(),
  team: nameArg.optional(),
  customer: customerArg.optional().describe('Name or email, or part of it'),
  company: nameArg.optional().describe('Id, company_id or exact name'),
};

type FilterArgs = { [K in keyof typeof ticketFilterArgs]?: string | undefined };

/** The filter arguments resolved once (names to ids), with the answer's zone, window and freshness. */
export async function ticketFilters(args: FilterArgs, deps: McpDeps) {
  const a = await answering(deps);
  const window = args.timeframe !== undefined ? a.timeframe(args.timeframe) : undefined;
  const { freshness, forbidden } = await ticketState(deps, a, window);
  const typeId = args.ticket_type
    ? pickNamed(await deps.store.ticketTypes(), args.ticket_type, 'ticket type').id
    : undefined;
  const adminAssigneeId = await resolveReference(deps, 'admin', args.assignee);
  const teamAssigneeId = await resolveReference(deps, 'team', args.team);
  const companyId = args.company
    ? await resolveCompany(deps, await polledState(deps, a, COMPANIES), args.company)
    : undefined;
  const text = args.query?.trim() ? args.query : undefined;
  const filters = {
    ...(text ? { text } : {}),
    ...stateFilter(args.state),
    ...(typeId ? { typeId } : {}),
    ...(adminAssigneeId ? { adminAssigneeId } : {}),
    ...(teamAssigneeId ? { teamAssigneeId } : {}),
    ...(args.customer?.trim() ? { customer: args.customer.trim() } : {}),
    ...(companyId ? { companyId } : {}),
    ...(window ? { from: window.from, to: window.to } : {}),
  };
  return { a, window, freshness, forbidden, filters };
}
