/**
 * The workspace's tickets as they stand: a summary of each (enough to search and sort), the parts
 * the control API added, and deletions. Plans are regenerated from the seed when a ticket is read.
 */
import type { Directory } from './directory.js';
import { themeSentence } from './theme-sentence.js';
import {
  planTicket,
  summarizeTicket,
  ticketIndexFor,
  withAddedParts,
  type TicketContext,
  type TicketPart,
  type TicketPlan,
  type TicketSummary,
} from './tickets.js';

/** What the control API may do to a ticket: each change is a part, at the workspace's clock. */
export type TicketChange =
  | {
      kind: 'reply';
      author: 'contact' | 'admin';
      adminId: string;
      /** HTML. */
      body: string;
      partType: 'comment' | 'note';
    }
  | { kind: 'state'; adminId: string; stateId: string }
  /** To an admin unless `assigneeType` says a team; id `0` unassigns. */
  | { kind: 'assign'; adminId: string; assigneeId: string; assigneeType?: 'admin' | 'team' }
  | { kind: 'attribute'; adminId: string; name: string; value: string | number };

/** The topic Intercom notifies for a change to a ticket; none for those only polling sees. */
function ticketTopic(change: TicketChange, ticket: TicketSummary): string | undefined {
  switch (change.kind) {
    case 'reply':
      return change.partType === 'note'
        ? 'ticket.note.created'
        : change.author === 'contact'
          ? 'ticket.contact.replied'
          : undefined;
    case 'state':
      return ticket.open ? 'ticket.state.updated' : 'ticket.closed';
    case 'assign':
      return change.assigneeType === 'team' ? 'ticket.team.assigned' : 'ticket.admin.assigned';
    case 'attribute':
      return undefined;
  }
}

/** The part a change adds to a ticket at `at`. */
function partFor(change: TicketChange, at: number, ticket: TicketSummary, plan: TicketPlan): TicketPart {
  const by = { kind: 'admin' as const, adminId: change.adminId };
  switch (change.kind) {
    case 'reply': {
      const contactIndex = plan.contactIndexes[0];
      return {
        partType: change.partType,
        at,
        author:
          change.author === 'contact' && contactIndex !== undefined ? { kind: 'contact', contactIndex } : by,
        body: change.body,
      };
    }
    case 'state':
      return {
        partType: 'ticket_state_updated_by_admin',
        at,
        author: by,
        stateId: change.stateId,
        previousStateId: ticket.stateId,
      };
    case 'assign':
      return {
        partType: 'assignment',
        at,
        author: by,
        assignedTo: { type: change.assigneeType ?? 'admin', id: change.assigneeId },
      };
    case 'attribute':
      return {
        partType: 'ticket_attribute_updated_by_admin',
        at,
        author: by,
        attribute: { name: change.name, value: change.value },
      };
  }
}

export class TicketDesk {
  private readonly summaries: TicketSummary[] = [];
  private readonly listeners: ((topic: string, ticket: TicketSummary) => void)[] = [];
  private readonly added = new Map<number, TicketPart[]>();
  /** The tickets (by index) whose description opens with the planted theme, and its phrase. */
  private readonly themed = new Map<number, string>();
  /** Bumped on every change, so routes can cache sorted views. */
  version = 0;

  constructor(
    private readonly ctx: TicketContext,
    private readonly createdTimes: number[],
    private readonly directory: Directory,
  ) {
    for (let i = 0; i < createdTimes.length; i++)
      this.summaries.push(summarizeTicket(this.plan(i), false, directory));
  }

  /** Called after each change that Intercom has a webhook topic for. */
  onChange(listener: (topic: string, ticket: TicketSummary) => void): void {
    this.listeners.push(listener);
  }

  plan(index: number): TicketPlan {
    const plan = withAddedParts(
      planTicket(this.ctx, index, this.createdTimes[index]!),
      this.added.get(index) ?? [],
    );
    const phrase = this.themed.get(index);
    if (phrase !== undefined)
      plan.attributes._default_description_ = `${themeSentence(index, phrase)} ${plan.attributes._default_description_}`;
    return plan;
  }

  /** Spreads the theme evenly over the customers' tickets created since `since`. */
  plantTheme(phrase: string, tickets: number, since: number): void {
    const eligible = this.summaries.filter((t) => t.createdAt >= since && t.category === 'Customer');
    if (eligible.length < tickets)
      throw new Error(
        `A theme in ${tickets} tickets needs that many customers' tickets in its days; there are ${eligible.length}`,
      );
    const step = eligible.length / tickets;
    for (let i = 0; i < tickets; i++) this.themed.set(eligible[Math.floor(i * step)]!.index, phrase);
  }

  /** The live tickets carrying the planted theme. */
  themedTickets(): TicketSummary[] {
    return [...this.themed.keys()].map((i) => this.summaries[i]!).filter((t) => !t.deleted);
  }

  live(): TicketSummary[] {
    return this.summaries.filter((t) => !t.deleted);
  }

  /** A live ticket by the API's id (never by its inbox number, as Intercom). */
  find(id: string): TicketSummary | undefined {
    const index = ticketIndexFor(id);
    const t = index === undefined ? undefined : this.summaries[index];
    return t && !t.deleted ? t : undefined;
  }

  delete(id: string): boolean {
    const t = this.find(id);
    if (!t) return false;
    this.summaries[t.index] = { ...t, deleted: true };
    this.version++;
    return true;
  }

  /** Applies a change at `at`; undefined when there is no such live ticket. */
  change(id: string, change: TicketChange, at: number): TicketSummary | undefined {
    const t = this.find(id);
    if (!t) return undefined;
    const part = partFor(change, at, t, this.plan(t.index));
    this.added.set(t.index, [...(this.added.get(t.index) ?? []), part]);
    const updated = summarizeTicket(this.plan(t.index), false, this.directory);
    this.summaries[t.index] = updated;
    this.version++;
    const topic = ticketTopic(change, updated);
    if (topic) for (const l of this.listeners) l(topic, updated);
    return updated;
  }
}
