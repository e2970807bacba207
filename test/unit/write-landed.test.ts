/**
 * Whether a write whose answer was lost landed, from the target read back: a text by the acting
 * admin, of the write's kind, made since it was sent, with its words; a state, an assignee or a tag
 * as the target now stands. Anything else is not the write, and it is sent again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameText, SKEW_SECONDS, writeLanded, type ReadBack } from '../../src/actions/write-landed.js';
import { planWrite, type TargetNow, type WriteAction } from '../../src/actions/write-plan.js';
import type { ApiConversation, ApiTicket } from '../../src/intercom/schemas.js';

const SENT = 1_800_000_000;
const target: TargetNow = {
  type: 'conversation',
  id: '1',
  title: null,
  customer: null,
  state: 'open',
  adminAssignee: null,
  teamAssignee: null,
  tags: [],
  updatedAt: SENT - 100,
};
const part = (
  over: Partial<{
    part_type: string;
    created_at: number;
    body: string;
    author: { type: string; id: string };
  }>,
) => ({
  id: 'p',
  part_type: 'note',
  created_at: SENT + 1,
  body: 'Refund sent',
  author: { type: 'admin', id: '9' },
  ...over,
});
const conversation = (over: Partial<ApiConversation> = {}): ReadBack => ({
  type: 'conversation',
  record: { id: '1', created_at: SENT - 1000, updated_at: SENT, state: 'open', ...over } as ApiConversation,
});
const ticket = (over: Partial<ApiTicket> = {}): ReadBack => ({
  type: 'ticket',
  record: { id: '1', category: 'Customer', created_at: SENT - 1000, updated_at: SENT, ...over } as ApiTicket,
});
const parts = (...p: ReturnType<typeof part>[]) => ({
  conversation_parts: { conversation_parts: p, total_count: p.length },
});

const note: WriteAction = { target: 'conversation', kind: 'note', text: 'Refund sent' };
const CASES: [what: string, action: WriteAction, back: ReadBack, landed: boolean][] = [
  ['the note, as plaintext', note, conversation(parts(part({}))), true],
  [
    'the note, as HTML with entities',
    note,
    conversation(parts(part({ body: '<p>Refund&nbsp;sent</p>' }))),
    true,
  ],
  ['no part', note, conversation(parts()), false],
  [
    'the text by another admin',
    note,
    conversation(parts(part({ author: { type: 'admin', id: '8' } }))),
    false,
  ],
  ['the text as a reply, not a note', note, conversation(parts(part({ part_type: 'comment' }))), false],
  [
    'the same text written long before',
    note,
    conversation(parts(part({ created_at: SENT - SKEW_SECONDS - 1 }))),
    false,
  ],
  ['within the clocks’ skew', note, conversation(parts(part({ created_at: SENT - SKEW_SECONDS }))), true],
  [
    'a reply',
    { target: 'conversation', kind: 'reply', text: 'Refund sent' },
    conversation(parts(part({ part_type: 'comment' }))),
    true,
  ],
  ['closed', { target: 'conversation', kind: 'close' }, conversation({ state: 'closed' }), true],
  ['still open', { target: 'conversation', kind: 'close' }, conversation(), false],
  [
    'snoozed until then',
    { target: 'conversation', kind: 'snooze', until: SENT + 3600 },
    conversation({ state: 'snoozed', snoozed_until: SENT + 3600 }),
    true,
  ],
  [
    'snoozed until another time',
    { target: 'conversation', kind: 'snooze', until: SENT + 3600 },
    conversation({ state: 'snoozed', snoozed_until: SENT + 60 }),
    false,
  ],
  [
    'the tag on it',
    { target: 'conversation', kind: 'tag', tag: { id: '81', name: null } },
    conversation({ tags: { tags: [{ id: '81', name: 'billing' }] } }),
    true,
  ],
  [
    'the tag gone',
    { target: 'conversation', kind: 'untag', tag: { id: '81', name: null } },
    conversation({ tags: { tags: [] } }),
    true,
  ],
  [
    'unassigned, said as 0',
    { target: 'conversation', kind: 'assign', to: { type: 'admin', who: null } },
    conversation({ admin_assignee_id: '0' }),
    true,
  ],
  [
    'the team assigned',
    { target: 'conversation', kind: 'assign', to: { type: 'team', who: { id: '3', name: null } } },
    conversation({ team_assignee_id: '3' }),
    true,
  ],
  [
    'another team',
    { target: 'conversation', kind: 'assign', to: { type: 'team', who: { id: '3', name: null } } },
    conversation({ team_assignee_id: '4' }),
    false,
  ],
  [
    'the ticket in the state',
    { target: 'ticket', kind: 'state', state: { id: '4005', label: null, category: 'resolved' } },
    ticket({ ticket_state: { id: '4005', category: 'resolved' } }),
    true,
  ],
  [
    'a ticket note',
    { target: 'ticket', kind: 'note', text: 'Refund sent' },
    ticket({ ticket_parts: { ticket_parts: [part({})], total_count: 1 } } as Partial<ApiTicket>),
    true,
  ],
];

describe('writeLanded', () => {
  for (const [what, action, back, landed] of CASES)
    it(`${what}: ${landed ? 'landed' : 'not landed'}`, () => {
      const t = action.target === 'ticket' ? { ...target, type: 'ticket' as const } : target;
      assert.equal(writeLanded(planWrite(t, action, '9'), back, '9', SENT), landed);
    });

  it('throws for a record of the other kind', () => {
    assert.throws(() => writeLanded(planWrite(target, note, '9'), ticket(), '9', SENT), /ticket read back/);
  });

  it('compares words, not markup or spacing', () => {
    assert.ok(sameText('<p>a &amp; b</p>\n', 'a & b'));
    assert.ok(!sameText('a & b', 'a and b'));
  });
});
