/** What each write will do, from the target as the copy holds it: the changes, the request, or why nothing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planWrite, type TargetNow, type WriteAction } from '../../src/actions/write-plan.js';

const conversation: TargetNow = {
  type: 'conversation',
  id: '215',
  title: 'Refund',
  customer: 'Ana',
  state: 'open',
  adminAssignee: { id: '7', name: 'Bo' },
  teamAssignee: null,
  tags: [{ id: '81', name: 'billing' }],
  updatedAt: 1_800_000_000,
};
const ticket: TargetNow = {
  type: 'ticket',
  id: '640007',
  title: 'Export broken',
  customer: null,
  state: 'Submitted (submitted)',
  open: true,
  stateId: '4001',
  adminAssignee: null,
  teamAssignee: { id: '3', name: 'Billing' },
  updatedAt: 1_800_000_000,
};

interface Case {
  what: string;
  target: TargetNow;
  action: WriteAction;
  changes?: { field: string; from: string | null; to: string | null }[];
  unchanged?: string;
  request?: { method: string; path: string; body: Record<string, unknown> };
  customerVisible?: boolean;
}

const CASES: Case[] = [
  {
    what: 'a note: its text, posted as the admin',
    target: conversation,
    action: { target: 'conversation', kind: 'note', text: 'Checked' },
    changes: [{ field: 'internal note', from: null, to: 'Checked' }],
    request: {
      method: 'POST',
      path: '/conversations/215/reply',
      body: { message_type: 'note', type: 'admin', admin_id: '9', body: 'Checked' },
    },
    customerVisible: false,
  },
  {
    what: 'a reply: a comment the customer sees',
    target: conversation,
    action: { target: 'conversation', kind: 'reply', text: 'Done' },
    changes: [{ field: 'reply to the customer', from: null, to: 'Done' }],
    customerVisible: true,
  },
  {
    what: 'a tag it lacks',
    target: conversation,
    action: { target: 'conversation', kind: 'tag', tag: { id: '90', name: 'bug' } },
    changes: [{ field: 'tags', from: null, to: 'bug' }],
    request: { method: 'POST', path: '/conversations/215/tags', body: { id: '90', admin_id: '9' } },
  },
  {
    what: 'a tag it has: nothing',
    target: conversation,
    action: { target: 'conversation', kind: 'tag', tag: { id: '81', name: 'billing' } },
    unchanged: 'it already has the tag billing',
  },
  {
    what: 'a tag removed, by DELETE',
    target: conversation,
    action: { target: 'conversation', kind: 'untag', tag: { id: '81', name: 'billing' } },
    changes: [{ field: 'tags', from: 'billing', to: null }],
    request: { method: 'DELETE', path: '/conversations/215/tags/81', body: { admin_id: '9' } },
  },
  {
    what: 'a tag it lacks removed: nothing',
    target: conversation,
    action: { target: 'conversation', kind: 'untag', tag: { id: '90', name: 'bug' } },
    unchanged: 'it does not have the tag bug',
  },
  {
    what: 'the admin unassigned: assignee 0',
    target: conversation,
    action: { target: 'conversation', kind: 'assign', to: { type: 'admin', who: null } },
    changes: [{ field: 'assignee', from: 'Bo', to: null }],
    request: {
      method: 'POST',
      path: '/conversations/215/parts',
      body: { message_type: 'assignment', type: 'admin', admin_id: '9', assignee_id: '0' },
    },
  },
  {
    what: 'the same admin: nothing',
    target: conversation,
    action: { target: 'conversation', kind: 'assign', to: { type: 'admin', who: { id: '7', name: 'Bo' } } },
    unchanged: 'its assignee is already Bo',
  },
  {
    what: 'a team, in the team slot',
    target: conversation,
    action: { target: 'conversation', kind: 'assign', to: { type: 'team', who: { id: '3', name: null } } },
    changes: [{ field: 'team', from: null, to: '3' }],
  },
  {
    what: 'a close',
    target: conversation,
    action: { target: 'conversation', kind: 'close' },
    changes: [{ field: 'state', from: 'open', to: 'closed' }],
    request: {
      method: 'POST',
      path: '/conversations/215/parts',
      body: { message_type: 'close', type: 'admin', admin_id: '9' },
    },
  },
  {
    what: 'a reopen of an open one: nothing',
    target: conversation,
    action: { target: 'conversation', kind: 'reopen' },
    unchanged: 'it is already open',
  },
  {
    what: 'a snooze, with its end',
    target: { ...conversation, state: 'snoozed' },
    action: { target: 'conversation', kind: 'snooze', until: 1_800_086_400 },
    changes: [
      { field: 'state', from: 'snoozed', to: 'snoozed' },
      { field: 'snoozed until', from: null, to: '2027-01-16T08:00:00Z' },
    ],
    request: {
      method: 'POST',
      path: '/conversations/215/parts',
      body: { message_type: 'snoozed', snoozed_until: 1_800_086_400, admin_id: '9' },
    },
  },
  {
    what: "a ticket's state, by PUT with the admin as a number",
    target: ticket,
    action: {
      target: 'ticket',
      kind: 'state',
      state: { id: '4005', label: 'Resolved', category: 'resolved' },
    },
    changes: [{ field: 'state', from: 'Submitted (submitted)', to: 'Resolved (resolved)' }],
    request: { method: 'PUT', path: '/tickets/640007', body: { ticket_state_id: '4005', admin_id: 9 } },
  },
  {
    what: "a ticket's own state: nothing",
    target: ticket,
    action: {
      target: 'ticket',
      kind: 'state',
      state: { id: '4001', label: 'Submitted', category: 'submitted' },
    },
    unchanged: 'it is already Submitted (submitted)',
  },
  {
    what: "a ticket's team unassigned",
    target: ticket,
    action: { target: 'ticket', kind: 'assign', to: { type: 'team', who: null } },
    changes: [{ field: 'team', from: 'Billing', to: null }],
    request: { method: 'PUT', path: '/tickets/640007', body: { assignee_id: '0', admin_id: 9 } },
  },
  {
    what: 'a note on a ticket',
    target: ticket,
    action: { target: 'ticket', kind: 'note', text: 'Escalated' },
    request: {
      method: 'POST',
      path: '/tickets/640007/reply',
      body: { message_type: 'note', type: 'admin', admin_id: '9', body: 'Escalated' },
    },
  },
];

describe('planWrite', () => {
  for (const c of CASES)
    it(c.what, () => {
      const plan = planWrite(c.target, c.action, '9');
      assert.equal(plan.name, `${c.action.target}.${c.action.kind}`);
      assert.equal(plan.unchanged, c.unchanged ?? null);
      if (c.changes) assert.deepEqual(plan.changes, c.changes);
      if (c.request) assert.deepEqual(plan.request, c.request);
      if (c.customerVisible !== undefined) assert.equal(plan.customerVisible, c.customerVisible);
    });

  it('keeps an id with characters a path cannot take inside its segment', () => {
    const plan = planWrite({ ...conversation, id: '1/2' }, { target: 'conversation', kind: 'reopen' }, '9');
    assert.equal(plan.request.path, '/conversations/1%2F2/parts');
  });
});
