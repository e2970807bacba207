/**
 * The emulated tickets: three ticket types (one per category), the workspace's ticket states with
 * custom ones under Intercom's categories, and tickets generated from the seed, each a plan of parts
 * (replies, notes, state changes, assignments, attribute updates) regenerated on demand, overlaid
 * with what the control API added. A ticket has two numbers, as in Intercom: `id`, the API's, and
 * `ticket_id`, the one people see; they never coincide here, so a client that mixes them up fails.
 */
import { fillTemplate, toHtmlBody, toLength, TOPICS } from './corpus.js';
import type { Directory } from './directory.js';
import { Rng } from './prng.js';

export type TicketCategory = 'Customer' | 'Back-office' | 'Tracker';
export type StateCategory = 'submitted' | 'in_progress' | 'waiting_on_customer' | 'resolved';

export interface TicketAttributeDef {
  id: string;
  name: string;
  dataType: 'string' | 'list' | 'decimal' | 'integer';
  options?: string[];
}

export interface TicketType {
  id: string;
  category: TicketCategory;
  name: string;
  attributes: TicketAttributeDef[];
}

export interface TicketState {
  id: string;
  category: StateCategory;
  internalLabel: string;
  externalLabel: string;
}

const TITLE: TicketAttributeDef = { id: '7001', name: '_default_title_', dataType: 'string' };
const DESCRIPTION: TicketAttributeDef = { id: '7002', name: '_default_description_', dataType: 'string' };

export const TICKET_TYPES: TicketType[] = [
  {
    id: '31',
    category: 'Customer',
    name: 'Bug report',
    attributes: [
      TITLE,
      DESCRIPTION,
      { id: '7003', name: 'Severity', dataType: 'list', options: ['Low', 'Medium', 'High', 'Critical'] },
    ],
  },
  {
    id: '32',
    category: 'Back-office',
    name: 'Refund approval',
    attributes: [TITLE, DESCRIPTION, { id: '7004', name: 'Amount', dataType: 'decimal' }],
  },
  {
    id: '33',
    category: 'Tracker',
    name: 'Incident',
    attributes: [TITLE, DESCRIPTION, { id: '7005', name: 'Affected customers', dataType: 'integer' }],
  },
];

/** Intercom's default state for each category, and two custom ones a workspace adds under theirs. */
export const TICKET_STATES: TicketState[] = [
  { id: '4001', category: 'submitted', internalLabel: 'Submitted', externalLabel: 'Submitted' },
  { id: '4002', category: 'in_progress', internalLabel: 'In progress', externalLabel: 'In progress' },
  { id: '4003', category: 'in_progress', internalLabel: 'Investigating', externalLabel: 'Being looked at' },
  {
    id: '4004',
    category: 'waiting_on_customer',
    internalLabel: 'Waiting on customer',
    externalLabel: 'Awaiting your reply',
  },
  { id: '4005', category: 'resolved', internalLabel: 'Resolved', externalLabel: 'Resolved' },
  { id: '4006', category: 'resolved', internalLabel: "Won't fix", externalLabel: 'Closed' },
];

/** Where every ticket starts. */
export const SUBMITTED = '4001';

export const stateById = (id: string) => TICKET_STATES.find((s) => s.id === id)!;
export const typeById = (id: string) => TICKET_TYPES.find((t) => t.id === id)!;

export type TicketAuthor = { kind: 'contact'; contactIndex: number } | { kind: 'admin'; adminId: string };

export interface TicketPart {
  partType:
    | 'comment'
    | 'note'
    | 'ticket_state_updated_by_admin'
    | 'ticket_attribute_updated_by_admin'
    | 'assignment';
  at: number;
  author: TicketAuthor;
  /** HTML, for comments and notes. */
  body?: string;
  /** The state after a state change, and the one before it. */
  stateId?: string;
  previousStateId?: string;
  assignedTo?: { type: 'admin' | 'team'; id: string };
  attribute?: { name: string; value: string | number };
}

export interface TicketPlan {
  index: number;
  id: string;
  ticketId: string;
  typeId: string;
  createdAt: number;
  contactIndexes: number[];
  attributes: Record<string, string | number>;
  /** Linked conversations, by id. */
  linkedConversations: string[];
  parts: TicketPart[];
}

/** What lists and searches need of a ticket, without its parts' text. */
export interface TicketSummary {
  index: number;
  id: string;
  ticketId: string;
  typeId: string;
  category: TicketCategory;
  createdAt: number;
  updatedAt: number;
  stateId: string;
  previousStateId: string | null;
  open: boolean;
  adminAssigneeId: string | null;
  teamAssigneeId: string | null;
  contactIds: string[];
  title: string;
  partCount: number;
  deleted: boolean;
}

export const TICKET_ID_BASE = 640000;
/** The API's id; the inbox number is the index plus one, far below any id. */
export const ticketIdFor = (index: number) => String(TICKET_ID_BASE + index * 7);
export function ticketIndexFor(id: string): number | undefined {
  if (!/^\d+$/.test(id)) return undefined;
  const n = Number(id) - TICKET_ID_BASE;
  return n >= 0 && n % 7 === 0 ? n / 7 : undefined;
}
export const ticketPartIdFor = (index: number, part: number) => String(8_000_000_000 + index * 4096 + part);

export interface TicketContext {
  seed: string;
  anchor: number;
  directory: Directory;
  /** The conversations a ticket may link to, by index. */
  conversationIdFor: (index: number) => string;
  conversations: number;
  /** Share of tickets with more than 500 parts (the API's cap). */
  longRate: number;
}

const pickCategory = (rng: Rng): TicketType =>
  rng.chance(0.6) ? TICKET_TYPES[0]! : rng.chance(0.6) ? TICKET_TYPES[1]! : TICKET_TYPES[2]!;

/** A ticket's life: assigned, worked on, a question to the customer and their answer, resolved. */
export function planTicket(ctx: TicketContext, index: number, createdAt: number): TicketPlan {
  const rng = new Rng(ctx.seed, 'ticket', index);
  const type = pickCategory(rng);
  const topic = rng.pick(TOPICS);
  const contactIndexes = type.category === 'Tracker' ? [] : [rng.int(0, ctx.directory.contactCount - 1)];
  const email = contactIndexes.length ? (ctx.directory.contact(contactIndexes[0]!).email ?? '') : '';
  const attributes: Record<string, string | number> = {
    _default_title_: rng.pick(topic.subjects),
    _default_description_: fillTemplate(rng, rng.pick(topic.openers), email),
  };
  if (type.category === 'Customer') attributes.Severity = rng.pick(['Low', 'Medium', 'High']);
  if (type.category === 'Back-office') attributes.Amount = rng.int(5, 900) + 0.5;
  if (type.category === 'Tracker') attributes['Affected customers'] = rng.int(1, 40);
  const linkCount = type.category === 'Tracker' ? rng.int(1, 3) : rng.chance(0.4) ? 1 : 0;
  const linkedConversations = [
    ...new Set(
      Array.from({ length: Math.min(linkCount, ctx.conversations) }, () =>
        ctx.conversationIdFor(rng.int(0, ctx.conversations - 1)),
      ),
    ),
  ];
  const parts = planParts(rng, ctx, { createdAt, type, topic, email, contactIndexes, attributes });
  return {
    index,
    id: ticketIdFor(index),
    ticketId: String(index + 1),
    typeId: type.id,
    createdAt,
    contactIndexes,
    attributes,
    linkedConversations,
    parts,
  };
}

/**
 * A ticket's life as parts, as far as its stage got: assigned to a team and an admin, in
 * progress with a note, answered and waiting on the customer who replies, its severity raised,
 * and resolved; some run past the 500-part cap. A raised severity is written into `attributes`.
 */
function planParts(
  rng: Rng,
  ctx: TicketContext,
  t: {
    createdAt: number;
    type: TicketType;
    topic: (typeof TOPICS)[number];
    email: string;
    contactIndexes: number[];
    attributes: Record<string, string | number>;
  },
): TicketPart[] {
  const admin = rng.pick(ctx.directory.humans);
  const team =
    ctx.directory.teams.find((x) => admin.teamIds.includes(Number(x.id))) ?? ctx.directory.teams[0]!;
  const parts: TicketPart[] = [];
  let at = t.createdAt;
  let state = SUBMITTED;
  // Activity that would run past now ends instead somewhere between the creation and now, spread
  // by the creation time (no draw, so the seeded stream is unchanged): one shared cap stamped
  // hundreds of tickets with the same second, and a cap in the last hours made a desk far busier
  // there than any other time of its week.
  const span = Math.max(1, ctx.anchor - 60 - t.createdAt);
  const last = Math.max(t.createdAt, t.createdAt + ((t.createdAt * 7919) % span));
  const step = () => (at = Math.min(last, at + Math.round(rng.exponential(4 * 3600)) + 60));
  const by: TicketAuthor = { kind: 'admin', adminId: admin.id };
  const move = (stateId: string) => {
    parts.push({
      partType: 'ticket_state_updated_by_admin',
      at: step(),
      author: by,
      stateId,
      previousStateId: state,
    });
    state = stateId;
  };
  const write = (
    author: TicketAuthor,
    partType: 'comment' | 'note',
    text: string,
    role: 'teammate' | 'customer',
  ) =>
    parts.push({
      partType,
      at: step(),
      author,
      body: toHtmlBody(toLength(rng, fillTemplate(rng, text, t.email), role)),
    });
  const stages = rng.int(0, 5);
  if (stages >= 1) {
    parts.push({ partType: 'assignment', at: step(), author: by, assignedTo: { type: 'team', id: team.id } });
    parts.push({
      partType: 'assignment',
      at: step(),
      author: by,
      assignedTo: { type: 'admin', id: admin.id },
    });
  }
  if (stages >= 2) {
    move(rng.chance(0.3) ? '4003' : '4002');
    write(by, 'note', rng.pick(t.topic.notes), 'teammate');
  }
  const customer = t.contactIndexes[0];
  if (stages >= 3 && customer !== undefined) {
    write(by, 'comment', rng.pick(t.topic.replies), 'teammate');
    move('4004');
    write({ kind: 'contact', contactIndex: customer }, 'comment', rng.pick(t.topic.followUps), 'customer');
    move('4002');
  }
  if (rng.chance(ctx.longRate))
    for (let i = 0; i < 520; i++) write(by, 'note', rng.pick(t.topic.notes), 'teammate');
  if (stages >= 3 && t.type.category === 'Customer') {
    parts.push({
      partType: 'ticket_attribute_updated_by_admin',
      at: step(),
      author: by,
      attribute: { name: 'Severity', value: 'Critical' },
    });
    t.attributes.Severity = 'Critical';
  }
  if (stages >= 4) move(rng.chance(0.85) ? '4005' : '4006');
  return parts;
}

/** What a ticket is after its parts: its state, the one before, its assignees and when it last changed. */
export function summarizeTicket(plan: TicketPlan, deleted: boolean, directory: Directory): TicketSummary {
  let stateId = SUBMITTED;
  let previousStateId: string | null = null;
  let adminAssigneeId: string | null = null;
  let teamAssigneeId: string | null = null;
  let updatedAt = plan.createdAt;
  for (const p of plan.parts) {
    updatedAt = Math.max(updatedAt, p.at);
    if (p.stateId) [previousStateId, stateId] = [stateId, p.stateId];
    const assignee = p.assignedTo?.id === '0' ? null : (p.assignedTo?.id ?? null);
    if (p.assignedTo?.type === 'admin') adminAssigneeId = assignee;
    if (p.assignedTo?.type === 'team') teamAssigneeId = assignee;
  }
  const type = typeById(plan.typeId);
  return {
    index: plan.index,
    id: plan.id,
    ticketId: plan.ticketId,
    typeId: plan.typeId,
    category: type.category,
    createdAt: plan.createdAt,
    updatedAt,
    stateId,
    previousStateId,
    open: stateById(stateId).category !== 'resolved',
    adminAssigneeId,
    teamAssigneeId,
    contactIds: plan.contactIndexes.map((i) => directory.contact(i).id),
    title: String(plan.attributes._default_title_),
    partCount: plan.parts.length,
    deleted,
  };
}

/** A plan with the parts the control API added after it, and the attributes those parts set. */
export function withAddedParts(plan: TicketPlan, added: readonly TicketPart[]): TicketPlan {
  if (added.length === 0) return plan;
  const attributes = { ...plan.attributes };
  for (const p of added) if (p.attribute) attributes[p.attribute.name] = p.attribute.value;
  return { ...plan, attributes, parts: [...plan.parts, ...added] };
}
