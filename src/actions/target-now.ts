/** A write's target as the copy holds it, read for its preview. */
import type { ConversationView, Store, TicketView } from '../store/types.js';
import type { TargetNow } from './write-plan.js';

const customerOf = (contacts: { name: string | null; email: string | null }[]) =>
  contacts[0] ? (contacts[0].name ?? contacts[0].email) : null;

const named = (ref: { id: string; name: string | null } | null) =>
  ref ? { id: ref.id, name: ref.name } : null;

export function conversationNow(c: ConversationView): TargetNow {
  return {
    type: 'conversation',
    id: c.id,
    title: c.title ?? c.subject,
    customer: customerOf(c.contacts),
    state: c.state,
    adminAssignee: named(c.adminAssignee),
    teamAssignee: named(c.teamAssignee),
    tags: c.tags.map((t) => ({ id: t.id, name: t.name })),
    updatedAt: c.updatedAt,
  };
}

export function ticketNow(t: TicketView): TargetNow {
  return {
    type: 'ticket',
    id: t.id,
    title: t.title,
    customer: customerOf(t.contacts),
    state: `${t.stateLabel ?? t.stateCategory} (${t.stateCategory})`,
    open: t.open,
    stateId: t.stateId,
    adminAssignee: named(t.adminAssignee),
    teamAssignee: named(t.teamAssignee),
    updatedAt: t.updatedAt,
  };
}

/** The target, or undefined when the copy does not hold it (deleted, or never synced). */
export async function targetNow(
  store: Store,
  type: 'conversation' | 'ticket',
  id: string,
): Promise<TargetNow | undefined> {
  if (type === 'conversation') {
    const c = await store.getConversation(id);
    return c && c.deletedAt === null ? conversationNow(c) : undefined;
  }
  const t = await store.getTicket(id);
  return t ? ticketNow(t) : undefined;
}
