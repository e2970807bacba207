/**
 * What a write to Intercom will do, worked out from the copy before anything is sent: the target as
 * the copy holds it, each field that will change (from, to), the text that will be posted, and the
 * one request that does it. A write that would change nothing says so instead of asking to be
 * confirmed. Pure: the tools resolve names to ids first, and the same plan is shown and sent.
 */
import type { IntercomWrite } from '../store/types.js';

export interface Named {
  id: string;
  name: string | null;
}

/** An assignee: an admin or a team, or nobody in that slot (the API's `0`). */
export type Assignee = { type: 'admin' | 'team'; who: Named | null };

export type ConversationAction =
  | { kind: 'note'; text: string }
  | { kind: 'reply'; text: string }
  | { kind: 'tag'; tag: Named }
  | { kind: 'untag'; tag: Named }
  | { kind: 'assign'; to: Assignee }
  | { kind: 'close'; text?: string }
  | { kind: 'snooze'; until: number }
  | { kind: 'reopen' };

export interface TicketState {
  id: string;
  label: string | null;
  category: string;
}

export type TicketAction =
  | { kind: 'note'; text: string }
  | { kind: 'reply'; text: string }
  | { kind: 'assign'; to: Assignee }
  | { kind: 'state'; state: TicketState };

export type WriteAction =
  | ({ target: 'conversation' } & ConversationAction)
  | ({ target: 'ticket' } & TicketAction);

/** What the copy holds of the target, as a preview shows it. */
export interface TargetNow {
  type: 'conversation' | 'ticket';
  id: string;
  title: string | null;
  customer: string | null;
  /** A conversation's state (open, closed, snoozed); a ticket's state label and category. */
  state: string;
  /** Tickets: whether the ticket is open. */
  open?: boolean;
  stateId?: string | null;
  adminAssignee: Named | null;
  teamAssignee: Named | null;
  tags?: Named[];
  /** When the copy last saw it change. */
  updatedAt: number;
}

export interface Change {
  field: string;
  from: string | null;
  to: string | null;
}

export interface WritePlan {
  action: WriteAction;
  /** `conversation.note`, `ticket.state`, …: what the audit trail names it. */
  name: string;
  target: TargetNow;
  changes: Change[];
  /** The text that will be posted, as written. */
  text: string | null;
  /** The customer will see it (a reply; a close or assignment with a message does not post to them). */
  customerVisible: boolean;
  /** Why nothing would change, when nothing would. */
  unchanged: string | null;
  request: IntercomWrite;
}

/** Someone or something as a preview names it: by name, else by id. */
export const label = (n: Named | null) => (n ? (n.name ?? n.id) : null);

/** One change as the answers and the audit list say it. */
export const changeText = (c: Change) => `${c.field}: ${c.from ?? '(none)'} → ${c.to ?? '(none)'}`;
const at = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

function conversationPlan(
  target: TargetNow,
  action: ConversationAction,
  adminId: string,
): Omit<WritePlan, 'action' | 'name' | 'target' | 'customerVisible'> {
  const path = (tail: string) => `/conversations/${encodeURIComponent(target.id)}/${tail}`;
  const state = (to: string, body: Record<string, unknown>, text: string | null = null) => ({
    changes: [{ field: 'state', from: target.state, to }],
    text,
    unchanged: target.state === to && to !== 'snoozed' ? `it is already ${to}` : null,
    request: { method: 'POST' as const, path: path('parts'), body: { ...body, admin_id: adminId } },
  });
  switch (action.kind) {
    case 'note':
    case 'reply':
      return textPlan(action, path('reply'), adminId);
    case 'tag':
    case 'untag': {
      const has = (target.tags ?? []).some((t) => t.id === action.tag.id);
      const adding = action.kind === 'tag';
      return {
        changes: [
          { field: 'tags', from: adding ? null : label(action.tag), to: adding ? label(action.tag) : null },
        ],
        text: null,
        unchanged:
          adding === has ? `it ${has ? 'already has' : 'does not have'} the tag ${label(action.tag)}` : null,
        request: adding
          ? { method: 'POST', path: path('tags'), body: { id: action.tag.id, admin_id: adminId } }
          : {
              method: 'DELETE',
              path: path(`tags/${encodeURIComponent(action.tag.id)}`),
              body: { admin_id: adminId },
            },
      };
    }
    case 'assign':
      return assignPlan(target, action.to, adminId, (body) => ({
        method: 'POST',
        path: path('parts'),
        body: { message_type: 'assignment', type: action.to.type, ...body },
      }));
    case 'close':
      return state(
        'closed',
        { message_type: 'close', type: 'admin', ...(action.text ? { body: action.text } : {}) },
        action.text ?? null,
      );
    case 'snooze': {
      const plan = state('snoozed', { message_type: 'snoozed', snoozed_until: action.until });
      return {
        ...plan,
        changes: [...plan.changes, { field: 'snoozed until', from: null, to: at(action.until) }],
      };
    }
    case 'reopen':
      return state('open', { message_type: 'open' });
  }
}

/** A note or a reply: the text, posted as the admin (both kinds of target take the same body). */
function textPlan(action: { kind: 'note' | 'reply'; text: string }, path: string, adminId: string) {
  return {
    changes: [
      {
        field: action.kind === 'note' ? 'internal note' : 'reply to the customer',
        from: null,
        to: action.text,
      },
    ],
    text: action.text,
    unchanged: null,
    request: {
      method: 'POST' as const,
      path,
      body: {
        message_type: action.kind === 'note' ? 'note' : 'comment',
        type: 'admin',
        admin_id: adminId,
        body: action.text,
      },
    },
  };
}

function assignPlan(
  target: TargetNow,
  to: Assignee,
  adminId: string,
  request: (body: Record<string, unknown>) => IntercomWrite,
) {
  const current = to.type === 'admin' ? target.adminAssignee : target.teamAssignee;
  const field = to.type === 'admin' ? 'assignee' : 'team';
  return {
    changes: [{ field, from: label(current), to: label(to.who) }],
    text: null,
    unchanged:
      (current?.id ?? null) === (to.who?.id ?? null)
        ? `its ${field} is already ${label(current) ?? 'nobody'}`
        : null,
    request: request({ admin_id: adminId, assignee_id: to.who?.id ?? '0' }),
  };
}

function ticketPlan(
  target: TargetNow,
  action: TicketAction,
  adminId: string,
): Omit<WritePlan, 'action' | 'name' | 'target' | 'customerVisible'> {
  const path = `/tickets/${encodeURIComponent(target.id)}`;
  // The ticket update documents its admin_id as an integer, unlike every other write.
  const updatedBy = /^\d+$/.test(adminId) ? Number(adminId) : adminId;
  switch (action.kind) {
    case 'note':
    case 'reply':
      return textPlan(action, `${path}/reply`, adminId);
    case 'assign':
      // A ticket's assignee is one slot: an admin or a team, by id.
      return assignPlan(target, action.to, adminId, (body) => ({
        method: 'PUT',
        path,
        body: { assignee_id: body.assignee_id, admin_id: updatedBy },
      }));
    case 'state': {
      const to = `${action.state.label ?? action.state.id} (${action.state.category})`;
      return {
        changes: [{ field: 'state', from: target.state, to }],
        text: null,
        unchanged: target.stateId === action.state.id ? `it is already ${to}` : null,
        request: { method: 'PUT', path, body: { ticket_state_id: action.state.id, admin_id: updatedBy } },
      };
    }
  }
}

/** The plan of one write, as previewed and as sent: `adminId` is the admin it is made as. */
export function planWrite(target: TargetNow, action: WriteAction, adminId: string): WritePlan {
  const plan =
    action.target === 'conversation'
      ? conversationPlan(target, action, adminId)
      : ticketPlan(target, action, adminId);
  return {
    action,
    name: `${action.target}.${action.kind}`,
    target,
    customerVisible: action.kind === 'reply',
    ...plan,
  };
}
